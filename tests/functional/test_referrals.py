"""A referral as a record: sent through the `refer` transition to a service of the case's
commune, with the reason and the consent; the old word of the fixed list only where the
directory has no service yet."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Event, Notification, Referral, Service
from tests.dates import typed

from .pages import submit, text


@pytest.fixture
def service(people):
    found = Service(name="CSCom de Kola", kind="health_centre", commune_id=people.commune.id,
                    contact="", active=True)
    db.session.add(found)
    db.session.commit()
    return found


def refer_form(service, **values) -> dict:
    form = {"service_id": service.id, "note": "Soins et certificat médical.",
            "consent": "given", "consent_by": "La survivante", "consent_how": "oral",
            "consent_on": typed(0)}
    form.update(values)
    return form


def test_the_team_refers_to_a_service_with_the_consent(client, login, people, make_case,
                                                       service):
    case = make_case("reported")
    login(people.mediator)
    url = f"/cases/{case.reference}/actions/refer"
    assert "CSCom de Kola" in text(client.get(url))
    response = submit(client, url, refer_form(service))
    assert response.status_code == 302, text(response)
    referral = db.session.scalar(select(Referral).where(Referral.case_id == case.id))
    assert (referral.service_id, referral.status, referral.consent) == (service.id, "sent",
                                                                       True)
    assert (referral.consent_by, referral.consent_how, referral.reason) == (
        "La survivante", "oral", "Soins et certificat médical.")
    assert referral.answer_by.isoformat() == typed(7)  # the definition's answer_days
    assert case.status == "referred" and case.referral_target == "health"
    kinds = list(db.session.scalars(select(Event.kind).where(Event.case_id == case.id)))
    assert kinds[-2:] == ["case.transition", "referral.sent"]
    shown = text(client.get(f"/cases/{case.reference}"))
    assert "Orientation vers CSCom de Kola" in shown and "en attente de la réponse" in shown


@pytest.mark.parametrize("changed, field_error", [
    ({"service_id": ""}, "Choisissez le service"),
    ({"note": ""}, "Ce champ est requis"),
    ({"consent": ""}, "Choisissez l'une des valeurs"),
    ({"consent_by": ""}, "Ce champ est requis"),
    ({"consent_on": typed(1)}, "après aujourd'hui"),
])
def test_a_referral_needs_its_service_reason_and_consent(client, login, people, make_case,
                                                         service, changed, field_error):
    case = make_case("reported")
    login(people.mediator)
    response = submit(client, f"/cases/{case.reference}/actions/refer",
                      refer_form(service, **{"consent_by": "Gardé tel quel", **changed}))
    assert response.status_code == 400 and field_error in text(response)
    assert "Gardé tel quel" in text(response) or "consent_by" in changed
    assert case.status == "reported"
    assert db.session.scalar(select(Referral).where(Referral.case_id == case.id)) is None


def test_no_consent_keeps_nothing_of_one(people, make_case, service):
    from casework.services import transitions
    from casework.services.transitions import TransitionInput
    case = make_case("reported")
    transitions.fire(people.mediator, case, "refer", TransitionInput(
        service_id=service.id, note="Plainte à déposer.", consent="refused",
        consent_by="Quelqu'un", consent_how="written"))
    referral = db.session.scalar(select(Referral).where(Referral.case_id == case.id))
    assert (referral.consent, referral.consent_by, referral.consent_how,
            referral.consent_on) == (False, None, None, None)


def test_without_a_service_in_the_directory_the_word_is_asked(client, login, people,
                                                              make_case, elsewhere):
    # Another commune's service is not offered here.
    db.session.add(Service(name="Ailleurs", kind="police", commune_id=elsewhere.commune.id,
                           contact="", active=True))
    db.session.commit()
    case = make_case("reported")
    login(people.mediator)
    url = f"/cases/{case.reference}/actions/refer"
    page = text(client.get(url))
    assert "Ailleurs" not in page and 'name="consent"' not in page
    assert submit(client, url, {"referral_target": "cofo"}).status_code == 302
    assert case.referral_target == "cofo"
    assert db.session.scalar(select(Referral).where(Referral.case_id == case.id)) is None
    assert db.session.scalar(select(Notification.id)) is None
