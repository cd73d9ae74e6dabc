"""Crediting a case to a partner organisation from the case page: who may, in which state, the
version check, the event, and the programme report's partner filter that reads it."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import CasePartner, Event, Partner
from casework.queries import programme
from casework.queries.programme import Scope
from casework.services import accounts

from .pages import submit, text

ROLES = ("team_mediator", "other_mediator", "mayor", "chief", "coordinator", "admin",
         "foreign_mediator", "foreign_coordinator", "foreign_mayor", "donor", "demoted")
# Who does not see the case at all gets the not-found page; who sees it, a refusal.
OUTSIDERS = {"admin", "foreign_mediator", "foreign_coordinator", "foreign_mayor"}
STATES = ("reported", "in_mediation", "closed")


@pytest.fixture
def partners():
    amss = Partner(code="AMSS", name="Association Malienne pour la Survie au Sahel")
    arga = Partner(code="ARGA", name="Alliance pour Refonder la Gouvernance en Afrique")
    gone = Partner(code="OLD", name="Un partenaire parti", active=False)
    db.session.add_all([amss, arga, gone])
    db.session.commit()
    return {"amss": amss, "arga": arga, "gone": gone}


@pytest.fixture
def everyone(cast, people, make_user):
    demoted = make_user((people.commune, "coordinator"))  # a coordinator, now a mediator
    accounts.set_memberships(make_user(is_admin=True), demoted, [(people.commune.id, "mediator")])
    db.session.commit()
    return {**cast, "donor": make_user((people.commune, "donor")), "demoted": demoted}


def credited(case):
    credit = db.session.get(CasePartner, case.id)
    return credit.partner_id if credit else None


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_who_credits_a_case_to_a_partner(app, login, make_case, everyone, partners, role, state):
    case = make_case(state)
    client = login(everyone[role], app.test_client())
    url = f"/cases/{case.reference}/partner"
    response = client.post(url, data={"version": case.version,
                                      "partner_id": partners["amss"].id})
    if role == "coordinator":
        assert response.status_code == 302
        assert credited(case) == partners["amss"].id
        assert f"AMSS · {partners['amss'].name}" in text(client.get(f"/cases/{case.reference}"))
        return
    expected = 404 if role in OUTSIDERS else 403
    assert response.status_code == expected
    assert client.get(url).status_code == expected  # the form does not open either
    assert credited(case) is None
    if role not in OUTSIDERS and role != "donor":
        assert url not in client.get(f"/cases/{case.reference}").get_data(as_text=True)


def test_a_credit_is_changed_cleared_and_told(app, login, make_case, people, partners):
    case = make_case("in_mediation")
    client = login(people.coordinator, app.test_client())
    url = f"/cases/{case.reference}/partner"
    page = client.get(url).get_data(as_text=True)
    assert "OLD" not in page  # a partner no longer active is not offered
    for partner in ("amss", "arga"):
        assert submit(client, url, {"partner_id": partners[partner].id}).status_code == 302
    assert credited(case) == partners["arga"].id
    assert submit(client, url, {"partner_id": ""}).status_code == 302
    assert credited(case) is None
    told = db.session.scalars(select(Event).where(Event.kind == "case.partner_credited",
                                                  Event.case_id == case.id)
                              .order_by(Event.id)).all()
    assert [(e.data["from_partner"], e.data["to_partner"]) for e in told] == [
        (None, "AMSS"), ("AMSS", "ARGA"), ("ARGA", None)]
    assert all(e.actor_id == people.coordinator.id for e in told)
    assert "a attribué le dossier au partenaire ARGA" in text(
        client.get(f"/cases/{case.reference}"))


def test_a_stale_form_or_an_inactive_partner_is_refused_with_the_choice_kept(
        app, login, make_case, people, partners):
    case = make_case("in_mediation")
    client = login(people.coordinator, app.test_client())
    url = f"/cases/{case.reference}/partner"
    stale = client.post(url, data={"version": case.version - 1,
                                   "partner_id": partners["arga"].id})
    assert stale.status_code == 409
    assert f'<option selected value="{partners["arga"].id}">' in stale.get_data(as_text=True)
    gone = client.post(url, data={"version": case.version, "partner_id": partners["gone"].id})
    assert gone.status_code == 400
    assert credited(case) is None


def test_the_programme_reports_partner_filter_reads_the_credit(app, login, make_case, people,
                                                               partners):
    amss, other = make_case("reported"), make_case("reported")
    client = login(people.coordinator, app.test_client())
    submit(client, f"/cases/{amss.reference}/partner", {"partner_id": partners["amss"].id})
    submit(client, f"/cases/{other.reference}/partner", {"partner_id": partners["arga"].id})

    def reported(partner):
        scope = Scope(frozenset({people.commune.id}), partner_id=partner.id)
        return programme.cases_reported(scope).total("cases")
    assert (reported(partners["amss"]), reported(partners["arga"])) == (1, 1)
    by_partner = programme.cases_by_partner(Scope(frozenset({people.commune.id})))
    assert by_partner.total(str(partners["amss"].id)) == 1
