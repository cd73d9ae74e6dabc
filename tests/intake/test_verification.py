"""A report that came by SMS is checked by a mediator of its commune (or its coordinator): the
facts confirmed, the type chosen and the parties named; the case then loses its mark."""
from __future__ import annotations

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from casework.errors import Conflict
from casework.extensions import db
from casework.intake import kobo, sms
from casework.models import Case, Event, IntakeRecord
from casework.services import verification
from tests.factories import advance

from ..functional.pages import submit, text
from .samples import submission

PHONE = "+22376123456"


@pytest.fixture
def lead(people):
    """A conflict reported by SMS in `people`'s commune, not checked yet."""
    answer = sms.receive(PHONE, f"CONFLIT {people.commune.code} Sɛnou, les bœufs ont mangé le "
                                "mil", "SM-check", "twilio")
    db.session.commit()
    return db.session.scalar(select(Case).where(Case.reference == answer.reference))


def checked(case) -> dict:
    return {"village": "Sɛnou", "conflict_type": "farmer_herder",
            "description": "Les bœufs de Hamadoun ont mangé le mil de Ɲɛlɛ Sangaré.",
            "parties-0-name": "Hamadoun Diallo", "parties-0-sex": "M",
            "parties-0-age_group": "adult", "parties-0-kind": "person",
            "parties-0-people_count": "1",
            "parties-1-name": "Ɲɛlɛ Sangaré", "parties-1-sex": "F",
            "parties-1-age_group": "elder", "parties-1-kind": "person",
            "parties-1-people_count": "1"}


def test_a_mediator_confirms_the_facts_and_names_the_parties(client, login, people, lead):
    login(people.mediator)
    page = text(client.get(f"/cases/{lead.reference}"))
    assert "À vérifier" in page and f"/cases/{lead.reference}/verify" in page
    form = client.get(f"/cases/{lead.reference}/verify")
    assert form.status_code == 200 and "les bœufs ont mangé le mil" in text(form)
    response = submit(client, f"/cases/{lead.reference}/verify", checked(lead))
    assert response.status_code == 302
    db.session.refresh(lead)
    assert [p.name for p in lead.parties] == ["Hamadoun Diallo", "Ɲɛlɛ Sangaré"]
    assert lead.conflict_type == "farmer_herder" and lead.status == "reported"
    record = db.session.scalar(select(IntakeRecord).where(IntakeRecord.case_id == lead.id))
    assert record.to_verify is False
    event = db.session.scalar(select(Event).where(Event.kind == "case.verified"))
    assert event.actor_id == people.mediator.id and event.data["parties"] == 2
    assert "Hamadoun" not in str(event.data) and "mil" not in str(event.data)
    page = text(client.get(f"/cases/{lead.reference}"))
    assert "À vérifier" not in page and "/verify" not in page
    assert client.get(f"/cases/{lead.reference}/verify").status_code == 404  # done once


@pytest.mark.parametrize("who, status", [
    ("team_mediator", 200), ("other_mediator", 200), ("coordinator", 200), ("mayor", 403),
    ("chief", 403), ("foreign_mediator", 404), ("foreign_coordinator", 404), ("admin", 404)])
def test_who_may_check_it(app, login, cast, lead, who, status):
    client = login(cast[who], app.test_client())
    assert client.get(f"/cases/{lead.reference}/verify").status_code == status
    response = client.post(f"/cases/{lead.reference}/verify",
                           data={**checked(lead), "version": str(lead.version)})
    assert response.status_code == (302 if status == 200 else status)


def test_a_check_without_a_party_keeps_what_was_typed(client, login, people, lead):
    login(people.mediator)
    data = {**checked(lead), "parties-0-name": "", "parties-1-name": ""}
    response = submit(client, f"/cases/{lead.reference}/verify", data)
    assert response.status_code == 400
    assert "Indiquez au moins une partie au conflit." in text(response)
    assert "Les bœufs de Hamadoun" in text(response)
    assert db.session.scalar(select(IntakeRecord.to_verify).where(
        IntakeRecord.case_id == lead.id)) is True


def test_a_check_on_an_old_version_gets_409(client, login, people, lead):
    login(people.mediator)
    data = {**checked(lead), "version": str(lead.version - 1)}
    response = client.post(f"/cases/{lead.reference}/verify", data=data)
    assert response.status_code == 409
    assert "Les bœufs de Hamadoun" in text(response)


def test_gender_based_violence_makes_it_confidential(client, login, people, lead):
    login(people.mediator)
    response = submit(client, f"/cases/{lead.reference}/verify",
                      {**checked(lead), "conflict_type": "gbv"})
    assert response.status_code == 302
    db.session.refresh(lead)
    assert lead.confidential


def test_a_case_not_reported_by_sms_has_nothing_to_check(client, login, people, make_case):
    login(people.mediator)
    assert client.get(f"/cases/{make_case().reference}/verify").status_code == 404


def test_a_report_to_check_is_checked_before_its_mediation_starts(client, login, people, lead):
    """Until then the figures leave it out; closing it as not admissible needs no check."""
    advance(people, lead, "assign")
    db.session.commit()
    with pytest.raises(Conflict, match="Vérifiez d'abord le signalement"), force_locale("fr"):
        advance(people, lead, "start")
    db.session.rollback()
    login(people.mediator)
    submit(client, f"/cases/{lead.reference}/verify", checked(lead))
    advance(people, db.session.get(Case, lead.id), "start")
    assert db.session.get(Case, lead.id).status == "in_mediation"


def test_a_flood_of_reports_to_check_is_closed_without_checking(people):
    spam = sms.receive("+22360000000", f"CONFLIT {people.commune.code} Kola, pub pub pub",
                       "SM-spam", "twilio")
    case = db.session.scalar(select(Case).where(Case.reference == spam.reference))
    advance(people, case, "reject_admission")
    assert case.status == "not_admissible"
    assert verification.waiting_check(case) is not None  # never counted in the figures


def test_a_kobo_submission_is_checked_with_the_parties_it_named(client, login, people):
    report = kobo.import_submissions(people.coordinator, [(1, submission(
        people.commune.code, "a1b2c3d4-0009"))])
    db.session.commit()
    reference = report.created[0][1]
    login(people.mediator)
    page = text(client.get(f"/cases/{reference}"))
    assert "À vérifier : importé de KoboToolbox le" in page
    form = text(client.get(f"/cases/{reference}/verify"))
    assert "formulaire KoboToolbox" in form
    assert 'value="Famille Ŋɔnɔ"' in form and 'value="Hamadoun N\'Diaye"' in form
    data = {**checked(None), "parties-0-name": "Famille Ŋɔnɔ", "parties-0-kind": "family",
            "parties-0-people_count": "7"}
    assert submit(client, f"/cases/{reference}/verify", data).status_code == 302
    case = db.session.scalar(select(Case).where(Case.reference == reference))
    assert verification.waiting_check(case) is None
    assert "À vérifier" not in text(client.get(f"/cases/{reference}"))


def test_the_senders_number_shows_on_the_check_page_until_checked_then_is_erased(
        client, login, people, lead):
    login(people.mediator)
    form = client.get(f"/cases/{lead.reference}/verify").get_data(as_text=True)
    assert f'href="tel:{PHONE}"' in form and "Numéro de l'expéditeur" in form
    assert "Il est effacé une fois le signalement vérifié." in form
    assert submit(client, f"/cases/{lead.reference}/verify", checked(lead)).status_code == 302
    db.session.refresh(lead)
    assert lead.reporter_contact is None and PHONE not in lead.reporter_name
    assert PHONE not in client.get(f"/cases/{lead.reference}").get_data(as_text=True)
    event = db.session.scalar(select(Event).where(Event.kind == "case.verified"))
    assert event.data["sender_erased"] is True and PHONE not in str(event.data)


def test_a_kobo_reporters_contact_is_kept_when_checked(client, login, people):
    kobo.import_submissions(people.coordinator, [(1, submission(people.commune.code, "keep-1"))])
    db.session.commit()
    case = db.session.scalar(select(Case).where(Case.channel == "kobo"))
    login(people.mediator)
    assert "Numéro de l'expéditeur" not in text(client.get(f"/cases/{case.reference}/verify"))
    assert submit(client, f"/cases/{case.reference}/verify", checked(case)).status_code == 302
    db.session.refresh(case)
    assert case.reporter_contact == "+223 76 12 34 56"
