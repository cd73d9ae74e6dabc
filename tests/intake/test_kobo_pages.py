"""The upload page and the import-kobo command: who may import, progress, report, trial run."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from casework.clock import utcnow
from casework.extensions import db
from casework.intake import jobs
from casework.models import Case, ImportJob, IntakeRecord

from ..functional.pages import inline_script, text
from .samples import as_csv, as_json, submission, xlsx_bomb

URL = "/intake/kobo"


def upload(client, data: bytes, name="export.csv", **fields):
    """Send the file; the answer is the import's page, where the job (run in the request in
    the tests) shows its report."""
    return client.post(URL, data={"file": (io.BytesIO(data), name), **fields},
                       content_type="multipart/form-data", follow_redirects=True)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role,status", [("coordinator", 200), ("mediator", 403),
                                         ("mayor", 403), ("chief", 403)])
def test_only_coordinators_open_the_upload_page(people, login, client, role, status):
    login(getattr(people, role))
    assert client.get(URL).status_code == status
    assert upload(client, as_csv([submission(people.commune.code, "p-1")])).status_code == status
    assert count(IntakeRecord) == (1 if status == 200 else 0)


def test_signed_out_people_are_sent_to_sign_in(client):
    assert client.get(URL).status_code == 302


def test_an_administrator_cannot_import(make_user, login, client):
    login(make_user(is_admin=True))
    assert client.get(URL).status_code == 403


def test_the_page_shows_the_report_and_the_case_page_the_source(people, login, client):
    login(people.coordinator)
    code = people.commune.code
    page = client.get(URL)
    assert "Importer" in text(page) and 'enctype="multipart/form-data"' in text(page)
    response = upload(client, as_json([submission(code, "9f1c2b7e-page-1"),
                                       submission("ZZZ", "page-2")]), name="data.json")
    body = text(response)
    assert response.status_code == 200
    assert "1 dossier créé, 0 déjà importé, 1 ligne rejetée." in body
    assert "Ligne 2 · Code de la commune (signalement/commune) : Aucune commune n'a le code ZZZ." \
        in body
    reference = db.session.scalar(select(Case.reference).where(Case.channel == "kobo"))
    assert reference in body
    case_page = text(client.get(f"/cases/{reference}"))
    assert ("Importé de KoboToolbox (soumission 9f1c2b7e du 20/11/2026 par enqueteur_kola)"
            in case_page)
    again = text(upload(client, as_json([submission(code, "9f1c2b7e-page-1")]), name="d.json"))
    assert "0 dossier créé, 1 déjà importé, 0 ligne rejetée." in again


def test_a_trial_run_on_the_page_saves_nothing(people, login, client):
    login(people.coordinator)
    body = text(upload(client, as_csv([submission(people.commune.code, "dry-1")]),
                       dry_run="y"))
    assert "Essai : rien n'a été enregistré." in body and "1 dossier créé" in body
    assert "Peuvent être importées" in body and "Ligne 1" in body
    assert count(IntakeRecord) == 0 and count(Case) == 0


def test_an_unreadable_file_is_said_next_to_the_field(people, login, client):
    login(people.coordinator)
    response = upload(client, b"PK\x03\x04broken", name="export.xlsx")
    assert response.status_code == 400
    assert "Ce fichier ne peut pas être lu comme XLSX" in text(response)


def test_a_file_over_5_mb_is_refused_and_one_over_1_mb_accepted(people, login, client):
    login(people.coordinator)
    rows = [submission(people.commune.code, "big-1",
                       **{"signalement/description": "Le champ est disputé. " * 60000})]
    big = as_csv(rows)
    assert 1024 * 1024 < len(big) < 5 * 1024 * 1024
    assert upload(client, big).status_code == 200
    assert upload(client, b"x" * (6 * 1024 * 1024)).status_code == 413


def test_the_import_runs_as_a_job_whose_page_keeps_the_report(people, login, client):
    login(people.coordinator)
    response = client.post(URL, data={"file": (io.BytesIO(as_csv(
        [submission(people.commune.code, "job-1"), submission("ZZZ", "job-2")])), "e.csv")},
        content_type="multipart/form-data")
    assert response.status_code == 303
    job = db.session.scalar(select(ImportJob))
    assert response.headers["Location"] == f"/intake/kobo/imports/{job.id}"
    assert (job.status, job.total, job.done, job.created, job.rejected) == ("done", 2, 2, 1, 1)
    assert job.data is None  # the file, names and facts, is not kept once imported
    page = client.get(response.headers["Location"])
    assert 'http-equiv="refresh"' not in page.get_data(as_text=True)
    assert "1 dossier créé, 0 déjà importé, 1 ligne rejetée." in text(page)
    assert "e.csv" in text(client.get(URL))  # listed among the last imports


def test_a_running_import_shows_its_progress_and_refreshes_itself(people, login, client):
    login(people.coordinator)
    job = jobs.start(people.coordinator, b"", "export.csv", dry_run=False, total=3000)
    job.status, job.done = "running", 1250
    db.session.commit()
    page = client.get(f"/intake/kobo/imports/{job.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert '<meta http-equiv="refresh" content="3">' in html and not inline_script(html)
    assert "Import en cours : 1250 lignes lues sur 3000." in text(page)
    assert '<progress max="3000" value="1250">' in html
    job.updated_at = utcnow() - jobs.STALLED_AFTER * 2
    db.session.commit()
    stalled = client.get(f"/intake/kobo/imports/{job.id}")
    assert "n'a pas avancé depuis plusieurs minutes" in text(stalled)
    assert 'http-equiv="refresh"' not in stalled.get_data(as_text=True)


def test_only_who_started_an_import_sees_it(people, make_user, login, client, app):
    job = jobs.start(people.coordinator, b"", "export.csv", dry_run=False, total=1)
    db.session.commit()
    other = make_user((people.commune, "coordinator"))
    login(other)
    assert client.get(f"/intake/kobo/imports/{job.id}").status_code == 404
    login(people.coordinator)
    assert client.get(f"/intake/kobo/imports/{job.id}").status_code == 200


def test_too_many_rows_or_a_zip_bomb_are_refused_at_once(people, login, client, app,
                                                          monkeypatch):
    login(people.coordinator)
    monkeypatch.setitem(app.config, "KOBO_IMPORT_MAX_ROWS", 2)
    rows = [submission(people.commune.code, f"many-{n}") for n in range(3)]
    response = upload(client, as_csv(rows))
    assert response.status_code == 400
    assert "Ce fichier contient plus de 2 soumissions" in text(response)
    bomb = upload(client, xlsx_bomb(), name="export.xlsx")
    assert bomb.status_code == 400 and "une fois décompressé" in text(bomb)
    assert count(ImportJob) == 0 and count(IntakeRecord) == 0


def test_the_form_downloads_from_the_page_with_the_communes_to_choose_from(people, login,
                                                                          client):
    login(people.coordinator)
    response = client.get("/intake/kobo/signalement_conflit.xlsx")
    assert response.status_code == 200 and response.data.startswith(b"PK")
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    survey = [row for row in book["survey"].iter_rows(values_only=True)]
    assert ("select_one commune", "commune") in [row[:2] for row in survey]
    choices = [row[:3] for row in book["choices"].iter_rows(values_only=True)]
    assert ("commune", people.commune.code,
            f"{people.commune.name} ({people.commune.code})") in choices


def cli(app, *args):
    return app.test_cli_runner().invoke(args=["import-kobo", *map(str, args)])


def test_the_command_shows_progress_and_ends_with_the_report(app, people, tmp_path):
    code = people.commune.code
    rows = [submission(code, f"cli-{n}", **{"signalement/village": f"Kola {n}"})
            for n in range(1, 31)] + [submission("ZZZ", "cli-x")]
    path = tmp_path / "export.csv"
    path.write_bytes(as_csv(rows, delimiter=";", bom=True))
    result = cli(app, path, "--as", people.coordinator.username)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "export.csv : 31 soumissions à lire."
    assert "25 lignes lues sur 31" in lines and "31 lignes lues sur 31" in lines
    assert "Bilan : 30 dossiers créés, 0 déjà importé, 1 ligne rejetée." in lines
    assert lines[-1] == ("Ligne 31 rejetée : Code de la commune (signalement/commune) : "
                         "Aucune commune n'a le code ZZZ.")
    assert count(IntakeRecord) == 30
    second = cli(app, path, "--as", people.coordinator.username)
    assert "Bilan : 0 dossier créé, 30 déjà importés, 1 ligne rejetée." in second.output


def test_the_command_dry_run_changes_nothing(app, people, tmp_path):
    path = tmp_path / "export.json"
    path.write_bytes(as_json([submission(people.commune.code, "cli-dry")]))
    result = cli(app, path, "--as", people.coordinator.username, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Essai : rien n'a été enregistré." in result.output
    assert "Bilan : 1 dossier créé, 0 déjà importé, 0 ligne rejetée." in result.output
    assert count(IntakeRecord) == 0 and count(Case) == 0


def test_the_command_refuses_an_unknown_account_and_an_unreadable_file(app, people, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_bytes(b"PK\x03\x04broken")
    assert cli(app, path, "--as", "nobody").exit_code == 1
    result = cli(app, path, "--as", people.coordinator.username)
    assert result.exit_code == 1 and "XLSX" in result.output
