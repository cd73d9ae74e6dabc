"""Files on a case: the team uploads PDF, JPEG or PNG (10 Mo), read by content and cleaned;
anything else is refused in French with nothing written; downloads go through an access check,
under a safely encoded name, and each one is an event."""
import hashlib
import io
import os
import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote

import pytest
from PIL import Image
from sqlalchemy import event, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from casework import create_app
from casework.clock import filesystem_now
from casework.extensions import db
from casework.models import Attachment, Event
from casework.services.attachments import MAX_BYTES
from config import BASE_DIR, TestConfig
from tests import filesamples as samples
from tests.factories import advance
from tests.file_storage import BOTH

from .pages import hidden_fields, inline_script, text

ACCEPTED = "Envoyez un PDF, une photo JPEG ou une image PNG."


@pytest.fixture
def files_dir(storage):
    """A fresh attachments directory for the test, to see exactly what was written (with the
    directory storage, unless the test runs over both: tests/file_storage.py)."""
    return storage.folder


def written(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


@pytest.fixture
def upload(app, login):
    def send(user, case, data: bytes, filename="accord.pdf", mimetype="application/pdf",
             description=""):
        client = login(user, app.test_client())
        return client.post(f"/cases/{case.reference}/attachments", data={
            "file": (io.BytesIO(data), filename, mimetype), "description": description})
    return send


def only_attachment(case) -> Attachment:
    rows = list(db.session.scalars(select(Attachment).where(Attachment.case_id == case.id)))
    assert len(rows) == 1
    return rows[0]


# -- what is accepted, and how it is kept -------------------------------------------------------

@pytest.mark.parametrize("data, filename, mimetype, kind, shown", [
    (samples.pdf(), "Accord signé.pdf", "application/pdf", "application/pdf", "Accord signé.pdf"),
    (samples.jpeg_with_gps(), "IMG_2026.jpg", "image/jpeg", "image/jpeg", "IMG_2026.jpg"),
    (samples.png(), "croquis du champ.png", "image/png", "image/png", "croquis du champ.png"),
    # the content decides, not the name nor the browser's type
    (samples.png(), "scan.pdf", "application/pdf", "image/png", "scan.png"),
    (samples.jpeg_with_gps(), "photo", "application/octet-stream", "image/jpeg", "photo.jpg"),
])
@BOTH
def test_the_team_attaches_a_file(app, people, make_case, upload, login, storage, data,
                                  filename, mimetype, kind, shown):
    case = make_case("in_mediation")
    response = upload(people.mediator, case, data, filename, mimetype, description="Accord du 12")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/cases/{case.reference}#attachments")
    attachment = only_attachment(case)
    assert (attachment.content_type, attachment.display_name) == (kind, shown)
    assert attachment.uploaded_by_id == people.mediator.id
    assert attachment.description == "Accord du 12"
    name = attachment.stored_name
    assert re.fullmatch(r"[0-9a-f]{32}", name)
    assert storage.written() == [name]  # no temporary file left over
    stored = storage.read(name)
    assert len(stored) == attachment.size
    assert hashlib.sha256(stored).hexdigest() == attachment.sha256
    if storage.kind == "directory":
        assert os.stat(storage.folder / name).st_mode & 0o777 == 0o600
    page = text(login(people.mediator, app.test_client()).get(f"/cases/{case.reference}"))
    assert shown in page and "Accord du 12" in page
    assert "a joint un fichier" in page


def test_a_photo_is_stored_without_its_gps_position(people, make_case, upload, files_dir):
    case = make_case("in_mediation")
    assert upload(people.mediator, case, samples.jpeg_with_gps(), "site.jpg").status_code == 302
    stored = Image.open(files_dir / only_attachment(case).stored_name)
    assert stored.format == "JPEG"
    assert not stored.getexif().get_ifd(samples.GPS_IFD)
    assert "comment" not in stored.info


def test_html_after_a_valid_png_is_not_kept(people, make_case, upload, files_dir):
    case = make_case("in_mediation")
    response = upload(people.mediator, case, samples.png() + samples.HTML, "x.png", "image/png")
    assert response.status_code == 302
    assert b"<script" not in (files_dir / only_attachment(case).stored_name).read_bytes()


def test_files_are_stored_outside_static(app, people, make_case, upload, files_dir, client,
                                         login):
    case = make_case("in_mediation")
    upload(people.mediator, case, samples.pdf())
    name = only_attachment(case).stored_name
    static = Path(app.static_folder).resolve()
    assert static not in (files_dir / name).resolve().parents
    login(people.mediator)
    assert client.get(f"/static/{name}").status_code == 404


@pytest.mark.no_db
def test_the_app_refuses_to_start_with_files_under_static(tmp_path):
    with pytest.raises(RuntimeError, match="static"):
        create_app(TestConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'x.db'}",
                   ATTACHMENTS_DIR=str(BASE_DIR / "static" / "files"))


# -- what is refused -----------------------------------------------------------------------------

REFUSED = [
    ("svg", samples.SVG, "dessin.svg", "image/svg+xml", "n'est pas accepté"),
    ("svg-as-png", samples.SVG, "dessin.png", "image/png", "n'est pas accepté"),
    ("gif", samples.gif(), "anim.gif", "image/gif", "n'est pas accepté"),
    ("html-as-png", samples.HTML, "photo.png", "image/png", "n'est pas accepté"),
    ("zip", samples.zip_file(), "dossier.zip", "application/zip", "n'est pas accepté"),
    ("text-as-pdf", b"Accord entre les deux familles.", "accord.pdf", "application/pdf",
     "n'est pas accepté"),
    ("empty", b"", "vide.pdf", "application/pdf", "Le fichier est vide."),
    ("pdf-javascript",
     samples.pdf(b"/OpenAction << /S /JavaScript /JS (app.alert(1)) >>"), "accord.pdf",
     "application/pdf", "Ce PDF contient un script"),
    ("bomb", samples.png_bomb(30_000, 30_000), "carte.png", "image/png",
     "Cette image est trop grande (24 mégapixels au plus)"),
    ("truncated-jpeg", samples.jpeg_with_gps((400, 300))[:-1500], "site.jpg", "image/jpeg",
     "Cette image est abîmée ou incomplète"),
]


@pytest.mark.parametrize("data, filename, mimetype, message",
                         [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_refused_files_are_explained_and_never_written(people, make_case, upload, files_dir,
                                                       data, filename, mimetype, message):
    case = make_case("in_mediation")
    response = upload(people.mediator, case, data, filename, mimetype)
    assert response.status_code == 400
    page = text(response)
    assert message in page
    if "accepté" in message or "vide" in message:
        assert ACCEPTED in page
    assert written(files_dir) == []
    assert db.session.scalars(select(Attachment)).all() == []
    assert not db.session.scalar(select(Event).where(Event.kind == "case.attachment_added"))


def test_no_file_is_asked_for(app, people, make_case, login, files_dir):
    case = make_case("in_mediation")
    client = login(people.mediator, app.test_client())
    response = client.post(f"/cases/{case.reference}/attachments", data={"description": "x"})
    assert response.status_code == 400
    assert "Choisissez un fichier." in text(response)


def test_one_byte_over_ten_mo_is_refused_with_the_limit(people, make_case, upload, files_dir):
    case = make_case("in_mediation")
    response = upload(people.mediator, case, samples.pdf(size=MAX_BYTES + 1))
    assert response.status_code == 413
    assert "Le fichier est trop volumineux : 10 Mo au plus." in text(response)
    assert written(files_dir) == []


@BOTH
def test_exactly_ten_mo_is_accepted_and_downloads_whole(app, people, make_case, upload, login,
                                                        storage):
    case = make_case("in_mediation")
    sent = samples.pdf(size=MAX_BYTES)
    response = upload(people.mediator, case, sent)
    assert response.status_code == 302
    attachment = only_attachment(case)
    assert attachment.size == MAX_BYTES == 10 * 1024 * 1024
    if storage.kind == "database":  # no statement ever carried more than 1 MB of it
        assert storage.chunk_sizes(attachment.stored_name) == [1024 * 1024] * 10
    download = login(people.mayor, app.test_client()).get(
        f"/cases/{case.reference}/attachments/{attachment.id}")
    assert download.headers["Content-Length"] == str(MAX_BYTES)
    assert download.data == sent


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(people, make_case, upload,
                                                                 files_dir):
    case = make_case("in_mediation")
    response = upload(people.mediator, case, b"%PDF-" + b"0" * (12 * 1024 * 1024))
    assert response.status_code == 413
    assert "10 Mo au plus" in text(response)
    assert written(files_dir) == []


def test_other_forms_keep_the_one_mo_limit(app, people, make_case, login):
    case = make_case("in_mediation")
    client = login(people.mediator, app.test_client())
    response = client.post(f"/cases/{case.reference}/steps/new",
                           data={"summary": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413


def test_the_larger_limit_applies_before_csrf_reads_the_form(app, people, make_case, login,
                                                             files_dir, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    case = make_case("in_mediation")
    client = login(people.mediator, app.test_client())
    page = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    token = hidden_fields(page)["csrf_token"]
    photo = samples.pdf(size=3 * 1024 * 1024)
    url = f"/cases/{case.reference}/attachments"
    refused = client.post(url, data={"file": (io.BytesIO(photo), "a.pdf", "application/pdf")})
    assert refused.status_code == 400  # no token, no upload
    response = client.post(url, data={"csrf_token": token,
                                      "file": (io.BytesIO(photo), "a.pdf", "application/pdf")})
    assert response.status_code == 302
    assert len(written(files_dir)) == 1


@BOTH
def test_a_failed_commit_leaves_no_file(people, make_case, upload, storage):
    case = make_case("in_mediation")

    def fail(_session):
        raise IntegrityError("INSERT INTO attachments", {}, Exception("simulated"))

    event.listen(Session, "before_commit", fail)
    try:
        response = upload(people.mediator, case, samples.png(), "site.png", "image/png")
    finally:
        event.remove(Session, "before_commit", fail)
    assert response.status_code == 409
    assert storage.written() == []


def test_orphan_files_left_by_a_crash_are_removed(app, people, make_case, upload, files_dir):
    """A process killed between writing a file and committing its row leaves a file no row
    names: the command removes it, and a temporary file, once an hour old; nothing else."""
    case = make_case("in_mediation")
    assert upload(people.mediator, case, samples.png(), "site.png", "image/png").status_code == 302
    kept = only_attachment(case).stored_name
    old = filesystem_now() - timedelta(hours=2).total_seconds()
    for name in ("0" * 32, ".upload-x1y2"):
        (files_dir / name).write_bytes(b"left by a crash")
        os.utime(files_dir / name, (old, old))
    os.utime(files_dir / kept, (old, old))
    (files_dir / ("1" * 32)).write_bytes(b"an upload about to commit")
    result = app.test_cli_runner().invoke(args=["remove-orphan-files"])
    assert result.exit_code == 0 and "2 orphan file(s) removed." in result.output
    assert written(files_dir) == sorted([kept, "1" * 32])


# -- who may upload and download ---------------------------------------------------------------

# role: (upload status on an open case, download status)
ACCESS = {
    "team_mediator": (302, 200),
    "coordinator": (302, 200),
    "other_mediator": (403, 200),
    "mayor": (403, 200),
    "chief": (403, 200),
    "foreign_mayor": (404, 404),
    "foreign_coordinator": (404, 404),
    "admin": (404, 404),
}


@pytest.mark.parametrize("role", ACCESS)
def test_who_may_upload_and_download(app, people, make_case, cast, upload, login, files_dir,
                                     role):
    case = make_case("in_mediation")
    assert upload(people.mediator, case, samples.png(), "site.png", "image/png").status_code == 302
    existing = only_attachment(case)
    may_upload, may_download = ACCESS[role]
    response = upload(cast[role], case, samples.pdf(), "rapport COFO.pdf")
    assert response.status_code == may_upload
    count = len(db.session.scalars(select(Attachment)).all())
    assert count == (2 if may_upload == 302 else 1)
    assert len(written(files_dir)) == count
    client = login(cast[role], app.test_client())
    url = f"/cases/{case.reference}/attachments/{existing.id}"
    assert client.get(url).status_code == may_download
    page = client.get(f"/cases/{case.reference}")
    if page.status_code == 200:
        html = page.get_data(as_text=True)
        assert ("site.png" in html) == (may_download == 200)
        assert ('enctype="multipart/form-data"' in html) == (may_upload == 302)


@pytest.mark.parametrize("state, allowed", [
    ("reported", False), ("in_mediation", True), ("resolved", True), ("followed_up", True),
    ("closed", False), ("referred", False), ("not_admissible", False)])
def test_a_finished_case_takes_no_more_files(people, make_case, upload, files_dir, state,
                                             allowed):
    case = make_case(state)
    # a case just reported has no team yet: only its coordinators attach
    response = upload(people.mediator, case, samples.pdf())
    assert response.status_code == (302 if allowed else 403)
    response = upload(people.coordinator, case, samples.pdf())
    assert response.status_code == (302 if allowed or state == "reported" else 403)


@pytest.mark.parametrize("role, sees", [
    ("team_mediator", True), ("coordinator", True), ("other_mediator", False),
    ("mayor", False), ("chief", False)])
def test_a_confidential_cases_files_show_only_to_who_sees_its_names(
        app, people, make_case, cast, upload, login, files_dir, role, sees):
    case = make_case("reported", conflict_type="gbv")
    advance(people, case, "assign")
    db.session.commit()
    assert case.confidential
    assert upload(people.mediator, case, samples.pdf(), "plainte Awa.pdf").status_code == 302
    attachment = only_attachment(case)
    client = login(cast[role], app.test_client())
    page = text(client.get(f"/cases/{case.reference}"))
    assert ("plainte Awa.pdf" in page) == sees
    response = client.get(f"/cases/{case.reference}/attachments/{attachment.id}")
    assert response.status_code == (200 if sees else 404)
    if not sees:
        denied = db.session.scalars(select(Event).where(Event.kind == "access.denied")).all()
        assert [e.data.get("attachment_id") for e in denied] == [attachment.id]
        assert "ne sont visibles que par son équipe" in page


def test_an_attachment_of_another_case_is_not_found(app, people, make_case, upload, login,
                                                    files_dir):
    mine, other = make_case("in_mediation"), make_case("in_mediation")
    upload(people.mediator, other, samples.pdf())
    foreign_id = only_attachment(other).id
    client = login(people.mediator, app.test_client())
    assert client.get(f"/cases/{mine.reference}/attachments/{foreign_id}").status_code == 404
    assert client.get(f"/cases/{mine.reference}/attachments/999999").status_code == 404
    assert client.get(f"/cases/{other.reference}/attachments/{foreign_id}").status_code == 200


def test_anonymous_cannot_download_or_upload(app, people, make_case, upload, files_dir):
    case = make_case("in_mediation")
    upload(people.mediator, case, samples.pdf())
    client = app.test_client()
    url = f"/cases/{case.reference}/attachments"
    assert "/login" in client.get(f"{url}/{only_attachment(case).id}").headers["Location"]
    response = client.post(url, data={"file": (io.BytesIO(samples.pdf()), "a.pdf")})
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert len(written(files_dir)) == 1


# -- download -------------------------------------------------------------------------------------

NAMES = [
    ("عقد الصلح.pdf", "عقد الصلح.png", "filename=piece-jointe.png; filename*=UTF-8''"
     "%D8%B9%D9%82%D8%AF%20%D8%A7%D9%84%D8%B5%D9%84%D8%AD.png"),
    ("ߞߊ߬ߙߊ߲.png", "ߞߊ߬ߙߊ߲.png",
     "filename=piece-jointe.png; filename*=UTF-8''%DF%9E%DF%8A%DF%AC%DF%99%DF%8A%DF%B2.png"),
    ("Accord Koné.png", "Accord Koné.png",
     "filename=\"Accord Kone.png\"; filename*=UTF-8''Accord%20Kon%C3%A9.png"),
    ("....", "piece-jointe.png", "filename=piece-jointe.png"),
    ("../x", "x.png", "filename=x.png"),
    ("..\\x", "x.png", "filename=x.png"),
    ("a\u202egnp.exe", "agnp.png", "filename=agnp.png"),
]


@BOTH
@pytest.mark.parametrize("uploaded, shown, disposition", NAMES, ids=[n[1] for n in NAMES])
def test_download_headers(app, people, make_case, upload, login, storage, uploaded, shown,
                          disposition):
    case = make_case("in_mediation")
    assert upload(people.mediator, case, samples.png(), uploaded, "image/png").status_code == 302
    attachment = only_attachment(case)
    assert attachment.display_name == shown
    client = login(people.chief, app.test_client())
    response = client.get(f"/cases/{case.reference}/attachments/{attachment.id}")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == f"attachment; {disposition}"
    if "filename*" in disposition:
        encoded = disposition.split("filename*=UTF-8''")[1]
        assert unquote(encoded) == shown
    assert response.headers["Content-Type"] == "image/png"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Content-Length"] == str(attachment.size)
    assert response.data == storage.read(attachment.stored_name)


@BOTH
def test_a_pdf_downloads_as_a_pdf(app, people, make_case, upload, login, storage):
    case = make_case("in_mediation")
    upload(people.mediator, case, samples.pdf(), "accord.pdf")
    response = login(people.mayor, app.test_client()).get(
        f"/cases/{case.reference}/attachments/{only_attachment(case).id}")
    assert response.headers["Content-Type"] == "application/pdf"
    assert response.headers["Content-Disposition"] == "attachment; filename=accord.pdf"
    assert response.data == samples.pdf()


def test_every_upload_and_download_is_an_event_without_the_name(app, people, make_case, upload,
                                                                login, files_dir):
    case = make_case("in_mediation")
    upload(people.mediator, case, samples.png(), "Famille Traoré.png", "image/png")
    attachment = only_attachment(case)
    client = login(people.mayor, app.test_client())
    url = f"/cases/{case.reference}/attachments/{attachment.id}"
    client.get(url)
    client.get(url)
    kinds = ("case.attachment_added", "case.attachment_downloaded")
    log = db.session.scalars(select(Event).where(Event.kind.in_(kinds))
                             .order_by(Event.id)).all()
    assert [(e.kind, e.actor_id, e.case_id) for e in log] == [
        ("case.attachment_added", people.mediator.id, case.id),
        ("case.attachment_downloaded", people.mayor.id, case.id),
        ("case.attachment_downloaded", people.mayor.id, case.id)]
    assert log[0].data == {"attachment_id": attachment.id, "content_type": "image/png",
                           "size": attachment.size, "address": "127.0.0.1"}
    assert log[1].data == {"attachment_id": attachment.id, "content_type": "image/png",
                           "address": "127.0.0.1"}
    assert all("Traoré" not in str(e.data) for e in log)
    page = text(login(people.mediator, app.test_client()).get(f"/cases/{case.reference}"))
    assert "a joint un fichier (PNG)" in page


def test_the_case_page_lists_files_with_size_and_author(app, people, make_case, upload, login,
                                                        files_dir):
    case = make_case("in_mediation")
    upload(people.mediator, case, samples.pdf(size=2_500_000), "rapport COFO.pdf")
    upload(people.mediator, case, samples.png(), "croquis.png", "image/png")
    html = login(people.mayor, app.test_client()).get(f"/cases/{case.reference}")
    page = text(html)
    assert "rapport COFO.pdf" in page and "croquis.png" in page
    assert "PDF · 2,4 Mo" in page and "PNG · 1 Ko" in page
    assert f"par {people.mediator.full_name}" in page
    body = html.get_data(as_text=True)
    assert not inline_script(body) and "style=" not in body
