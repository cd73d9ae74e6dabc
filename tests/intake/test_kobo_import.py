"""Importing KoboToolbox / ODK submissions: every file shape, once only, row by row."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from casework.clock import local_today
from casework.errors import InvalidInput
from casework.extensions import db
from casework.intake import files, kobo
from casework.models import Case, Event, IntakeRecord, Party
from casework.services import cases
from casework.services.cases import PartyInput
from tests.factories import case_input

from .samples import as_csv, as_json, as_xlsx, submission, xlsx_bomb

FORMATS = {
    "csv with commas": lambda rows: as_csv(rows),
    "csv with semicolons and a BOM": lambda rows: as_csv(rows, delimiter=";", bom=True),
    "xlsx": as_xlsx,
    "json of the data API": as_json,
}


def run(actor, data: bytes, name="export"):
    return kobo.import_submissions(actor, files.read_submissions(data, name))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("shape", FORMATS)
def test_each_file_shape_opens_reported_cases_that_say_where_they_came_from(people, shape):
    code = people.commune.code
    rows = [submission(code, "a1b2c3d4-0001"),
            submission(code, "a1b2c3d4-0002", **{"signalement/village": "Kɔnɔbougou",
                                                 "parties/partie_2/nom": None})]
    report = run(people.coordinator, FORMATS[shape](rows))
    db.session.commit()
    assert [row for row, _ in report.created] == [1, 2] and not report.rejected
    case = db.session.scalar(select(Case).where(Case.reference == report.created[0][1]))
    assert (case.status, case.channel, case.village) == ("reported", "kobo", "Sɛnou")
    assert (case.conflict_type, case.urgency, case.violence, case.injuries) == (
        "farmer_herder", "high", True, 2)
    assert case.facts_date.isoformat() == "2026-11-18"
    assert case.reporter_name == "Fatoumata Dɔnbɛlɛ"
    assert [(p.name, p.kind, p.sex, p.age_group, p.people_count) for p in case.parties] == [
        ("Famille Ŋɔnɔ", "family", "M", "adult", 7), ("Hamadoun N'Diaye", "person", "M",
                                                      "youth", 1)]
    intake = db.session.scalar(select(IntakeRecord).where(IntakeRecord.case_id == case.id))
    assert (intake.source, intake.external_id, intake.submitted_by) == (
        "kobo", "a1b2c3d4-0001", "enqueteur_kola")
    assert intake.submitted_at == datetime(2026, 11, 20, 14, 3, 11, tzinfo=timezone.utc)
    assert intake.imported_by_id == people.coordinator.id and intake.to_verify  # to check
    second = db.session.scalar(select(Case).where(Case.reference == report.created[1][1]))
    assert second.village == "Kɔnɔbougou" and len(second.parties) == 1
    reported = db.session.scalar(select(Event).where(Event.case_id == case.id,
                                                     Event.kind == "case.reported"))
    assert reported.actor_id == people.coordinator.id


def test_odk_central_headings_and_labels_instead_of_codes(people):
    """ODK Central writes group-name with dashes, meta-instanceID and SubmissionDate; an export
    "with labels" writes the French labels of the answers."""
    row = submission(people.commune.code, "ignored", **{
        "_uuid": None, "_submission_time": None, "_submitted_by": None,
        "meta/instanceID": "uuid:0d6e-odk", "SubmissionDate": "2026-11-21T08:00:00.000Z",
        "SubmitterName": "Awa Coulibaly", "signalement/type_conflit": "Agriculteurs-éleveurs",
        "signalement/urgence": "Élevée", "parties/partie_1/sexe": "Homme"})
    report = run(people.coordinator, as_csv([row], rename=lambda c: c.replace("/", "-")))
    assert len(report.created) == 1, report.rejected
    intake = db.session.scalar(select(IntakeRecord))
    assert (intake.external_id, intake.submitted_by) == ("0d6e-odk", "Awa Coulibaly")
    assert intake.case.conflict_type == "farmer_herder" and intake.case.urgency == "high"


def test_importing_the_same_file_twice_creates_nothing_the_second_time(people):
    code = people.commune.code
    data = as_csv([submission(code, "dup-1"),
                   submission(code, "dup-2", **{"signalement/village": "Kola"})])
    first = run(people.coordinator, data)
    db.session.commit()
    cases_after_first = count(Case)
    second = run(people.coordinator, data)
    db.session.commit()
    assert len(first.created) == 2 and second.created == []
    assert second.already == first.created  # same rows, the references first created
    assert count(Case) == cases_after_first and count(IntakeRecord) == 2


def test_the_same_submission_twice_in_one_file_goes_in_once(people):
    code = people.commune.code
    report = run(people.coordinator, as_csv([submission(code, "x-1"), submission(code, "x-1")]))
    assert len(report.created) == 1 and [row for row, _ in report.already] == [2]


def test_bad_rows_are_reported_in_french_with_their_row_while_good_rows_go_in(people,
                                                                              elsewhere):
    code = people.commune.code
    tomorrow = (local_today() + timedelta(days=1)).isoformat()
    rows = [
        submission(code, "ok-1"),
        submission(code, "bad-2", **{"signalement/village": ""}),
        submission("ZZZ", "bad-3"),
        submission(code, "bad-4", **{"signalement/date_faits": tomorrow}),
        submission(code, "bad-5", **{"parties/partie_2/sexe": "inconnu"}),
        submission(code, "", **{"meta/instanceID": ""}),
        submission(elsewhere.commune.code, "bad-7"),
        submission(code, "bad-8", **{"signalement/blesses": "beaucoup"}),
        submission(code, "ok-9", **{"signalement/village": "Kola"}),
    ]
    report = run(people.coordinator, as_csv(rows, delimiter=";"))
    assert [row for row, _ in report.created] == [1, 9]
    reasons = {r.row: r.reason for r in report.rejected}
    assert reasons == {
        2: "Village ou quartier (signalement/village) : Ce champ est requis.",
        3: "Code de la commune (signalement/commune) : Aucune commune n'a le code ZZZ.",
        4: "Date des faits (signalement/date_faits) : La date des faits ne peut pas être "
           "dans le futur.",
        5: "Sexe (parties/partie_2/sexe) : Choisissez l'une des valeurs proposées.",
        6: "_uuid : Cette soumission n'a pas de colonne _uuid : sans elle, un second import "
           "ne pourrait pas la reconnaître.",
        7: "Vous ne pouvez pas signaler de conflit dans cette commune.",
        8: "Nombre de blessés (signalement/blesses) : Saisissez un nombre entier d'au moins 0.",
    }
    assert count(IntakeRecord) == 2


def test_a_row_that_fails_half_way_leaves_nothing_behind(people, monkeypatch):
    """The case and its parties were written when the intake record failed: the row's
    savepoint takes all of them back, and the next row still goes in."""
    code = people.commune.code
    real_record = kobo.record

    def failing(actor, case, found):
        if found.external_id == "half-2":
            assert case.id is not None  # the case is in the database at this point
            raise InvalidInput("panne", field="_uuid")
        return real_record(actor, case, found)

    monkeypatch.setattr(kobo, "record", failing)
    before = (count(Case), count(Party), count(Event))
    report = run(people.coordinator, as_csv([submission(code, "half-1"),
                                             submission(code, "half-2", **{
                                                 "signalement/village": "Ɲɔgɔn"}),
                                             submission(code, "half-3", **{
                                                 "signalement/village": "Kola"})]))
    db.session.commit()
    assert [row for row, _ in report.created] == [1, 3]
    assert [r.row for r in report.rejected] == [2]
    assert db.session.scalar(select(Case).where(Case.village == "Ɲɔgɔn")) is None
    # two cases with two parties each, their two case.reported events and the import's event
    assert (count(Case), count(Party), count(Event)) == (before[0] + 2, before[1] + 4,
                                                          before[2] + 3)


def test_an_unreadable_file_is_refused_before_any_row(people):
    with pytest.raises(InvalidInput):
        files.read_submissions(b"PK\x03\x04 not a workbook", "export.xlsx")
    with pytest.raises(InvalidInput):
        files.read_submissions("commune;village\nBGN;Kola".encode("utf-16"), "export.csv")
    with pytest.raises(InvalidInput):
        files.read_submissions(b'{"count": 0}', "data.json")


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = xlsx_bomb(10)
    assert len(bomb) < 100_000
    started = time.process_time()
    with pytest.raises(InvalidInput) as refused:
        files.read_submissions(bomb, "export.xlsx")
    assert time.process_time() - started < 0.5
    assert ("Ce fichier XLSX prendrait bien plus de place une fois décompressé qu'un tel export "
            "(64 Mo au plus)") in str(refused.value.message)


def test_an_xlsx_too_large_once_decompressed_is_refused(people, monkeypatch):
    data = as_xlsx([submission(people.commune.code, f"big-{n}") for n in range(50)])
    assert len(files.read_submissions(data, "export.xlsx")) == 50
    monkeypatch.setattr(files, "MAX_XLSX_BYTES", 20_000)
    with pytest.raises(InvalidInput, match="une fois décompressé"):
        files.read_submissions(data, "export.xlsx")


@pytest.mark.parametrize("shape", FORMATS)
def test_a_file_over_the_row_limit_is_refused_whole(people, shape):
    rows = [submission(people.commune.code, f"lim-{n}") for n in range(6)]
    assert len(files.read_submissions(FORMATS[shape](rows[:5]), "export", max_rows=5)) == 5
    with pytest.raises(InvalidInput) as refused:
        files.read_submissions(FORMATS[shape](rows), "export", max_rows=5)
    assert "Ce fichier contient plus de 5 soumissions" in str(refused.value.message)


def test_blank_rows_are_skipped_but_not_without_end(people):
    data = as_csv([submission(people.commune.code, "blank-1")]) + b",,,\n" * 1000
    assert [n for n, _ in files.read_submissions(data, "export.csv")] == [1]
    with pytest.raises(InvalidInput, match="plus de"):
        files.read_submissions(data + b",,,\n", "export.csv")


def test_the_import_is_one_event_with_counts_and_no_names(people):
    run(people.coordinator, as_csv([submission(people.commune.code, "ev-1"),
                                    submission("ZZZ", "ev-2")]))
    event = db.session.scalar(select(Event).where(Event.kind == "intake.kobo_imported"))
    assert event.actor_id == people.coordinator.id
    assert {k: event.data[k] for k in ("created", "already", "rejected")} == {
        "created": 1, "already": 0, "rejected": 1}
    assert "Ŋɔnɔ" not in str(event.data)


def test_control_characters_of_a_submission_are_removed_not_refused(people):
    """Nobody can retype a submission already sent: its control characters go, the rest stays
    (in NFC)."""
    row = submission(people.commune.code, "a1b2c3d4-ctrl", **{
        "signalement/village": "Ko\x01la\x1b", "declarant/nom": "Fatoumata\x0b Dɔnbe\u0301lɛ",
        "parties/partie_1/nom": "Famille\x85 Ŋɔnɔ"})
    report = run(people.coordinator, as_json([row]))
    assert not report.rejected
    case = db.session.scalar(select(Case).where(Case.reference == report.created[0][1]))
    assert (case.village, case.reporter_name, case.parties[0].name) == (
        "Kola", "Fatoumata Dɔnbélɛ", "Famille Ŋɔnɔ")


def test_a_row_like_a_case_just_reported_is_not_imported_twice(people, make_case):
    """The same conflict, reported with the intake form a short while ago (same village and
    parties): the row is told with the reference, not imported as a second case."""
    code = people.commune.code
    earlier = cases.report_case(people.mediator, people.commune, case_input(
        village="Sɛnou", parties=[PartyInput("famille ŋɔnɔ", "M", "adult"),
                                  PartyInput("Hamadoun  N'Diaye", "M", "youth")]))
    report = run(people.coordinator, as_csv([submission(code, "alike-1"),
                                             submission(code, "other-2", **{
                                                 "signalement/village": "Kola"})]))
    assert [row for row, _ in report.created] == [2]
    assert [r.row for r in report.rejected] == [1]
    assert f"Ce conflit ressemble à {earlier.reference}" in report.rejected[0].reason


def test_an_imported_case_is_dated_by_the_day_it_was_reported_in_the_field(people):
    """Collected weeks before the import, it counts in the month it was reported, not in the
    month of the import (a November report once showed 1 new case after 35 imported)."""
    from casework.clock import utcnow

    filled = (utcnow() - timedelta(days=40)).replace(microsecond=0)
    rows = [(2, submission(people.commune.code, "uuid:field-date",
                           start=(filled - timedelta(minutes=20)).isoformat(),
                           end=filled.isoformat()))]
    report = kobo.import_submissions(people.coordinator, rows)
    case = db.session.scalar(select(Case).where(Case.reference == report.created[0][1]))
    assert case.created_at == filled and case.status_changed_at == filled
    later = [(2, submission(people.commune.code, "uuid:not-yet",
                            start=(utcnow() + timedelta(days=3)).isoformat()))]
    report = kobo.import_submissions(people.coordinator, later)
    case = db.session.scalar(select(Case).where(Case.reference == report.created[0][1]))
    assert case.created_at <= utcnow()  # a phone's clock ahead of time dates nothing ahead
