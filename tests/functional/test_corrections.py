"""Correcting a recorded case: who may (a role x state table written out by hand), what the
event keeps (never a name of a confidential case), the version check, the history in French,
and the procès-verbal printed again with the corrected name."""
import io
import json
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from casework.clock import local_today
from casework.extensions import db
from casework.i18n import short_date
from casework.models import Event, ParticipationMonth
from casework.queries.milestones import NOTICE_DAYS
from casework.services import corrections, followups, team
from casework.services.cases import PartyInput
from casework.services.followups import FollowUpInput
from casework.vocabulary import GBV
from tests.factories import approved_days_ago
from tests.invariants import database_problems

from .pages import text

ROLES = ("team_mediator", "other_mediator", "removed_mediator", "mayor", "chief",
         "coordinator", "admin", "foreign_mediator", "foreign_coordinator", "foreign_mayor")
OUTSIDERS = {"admin", "foreign_mediator", "foreign_coordinator", "foreign_mayor"}
TEAM_OR_COORDINATOR = {"team_mediator", "coordinator"}
# state -> who corrects. A final state (closed, referred, not admissible) is the record as it
# was left: its team no longer rewrites it, only its coordinators (a name misspelt on it).
STATES = {"reported": TEAM_OR_COORDINATOR, "in_mediation": TEAM_OR_COORDINATOR,
          "resolved": TEAM_OR_COORDINATOR, "followed_up": TEAM_OR_COORDINATOR,
          "closed": {"coordinator"}, "referred": {"coordinator"},
          "not_admissible": {"coordinator"}}
FINAL = {"closed", "referred", "not_admissible"}


def _form(case, **changes):
    data = {"version": case.version, "village": case.village,
            "conflict_type": case.conflict_type,
            "facts_date": case.facts_date.isoformat() if case.facts_date else "",
            "description": case.description, "reason": "Nom mal orthographié."}
    for index, party in enumerate(case.parties):
        for name in ("name", "sex", "age_group", "kind", "people_count"):
            data[f"parties-{index}-{name}"] = getattr(party, name)
    data.update(changes)
    return data


@pytest.fixture
def removed_mediator(people, make_user):
    """A mediator of the commune who was on the case's team, then taken off it."""
    return make_user((people.commune, "mediator"))


def _with_team(case, people, removed):
    """The team: the case's mediator, after `removed` was on it and was taken off."""
    team.assign_team(people.coordinator, case, sorted({people.mediator.id, removed.id}))
    team.assign_team(people.coordinator, case, [people.mediator.id])
    db.session.commit()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", sorted(STATES))
def test_who_corrects_a_case(app, people, make_case, cast, login, removed_mediator,
                             role, state):
    case = make_case(state)
    if state not in FINAL:  # open: a team, that `removed_mediator` was taken off
        _with_team(case, people, removed_mediator)
    who = {**cast, "removed_mediator": removed_mediator}[role]
    client = login(who, app.test_client())
    url = f"/cases/{case.reference}/correct"
    response = client.post(url, data=_form(case, **{"parties-1-name": "Aminata Konaté"}))
    db.session.refresh(case)
    names = [p.name for p in case.parties]
    if role in STATES[state]:
        assert response.status_code == 302, text(response)
        assert names[1] == "Aminata Konaté"
    else:
        expected = 404 if role in OUTSIDERS else 403
        assert response.status_code == expected
        assert names[1] == "Aminata Koné"
        assert client.get(url).status_code == expected  # the form does not open either
        page = client.get(f"/cases/{case.reference}")
        assert f"/cases/{case.reference}/correct" not in page.get_data(as_text=True)


def test_the_reporter_corrects_a_case_with_no_team_yet(client, login, people, make_case,
                                                       cast):
    case = make_case("reported")
    login(cast["other_mediator"])
    assert client.post(f"/cases/{case.reference}/correct",
                       data=_form(case, village="Kolaba")).status_code == 403
    login(people.mediator)
    assert client.post(f"/cases/{case.reference}/correct",
                       data=_form(case, village="Kolaba")).status_code == 302
    assert case.village == "Kolaba"


def _corrections(case):
    return list(db.session.scalars(select(Event).where(Event.case_id == case.id,
                                                       Event.kind == "case.corrected")))


def test_the_event_names_the_fields_changed_and_the_history_tells_it(client, login, people,
                                                                     make_case):
    case = make_case("in_mediation")
    login(people.mediator)
    response = client.post(f"/cases/{case.reference}/correct", data=_form(
        case, village="Kolaba", conflict_type="boundary", **{"parties-0-name": "Famille Touré"}),
        follow_redirects=True)
    assert response.status_code == 200
    [event] = _corrections(case)
    assert event.data["fields"] == ["village", "conflict_type", "parties"]
    assert event.data["values"] == {"village": ["Kola", "Kolaba"],
                                    "conflict_type": ["land", "boundary"]}
    assert event.data["reason"] == "Nom mal orthographié."
    assert "Traoré" not in json.dumps(event.data) and "Touré" not in json.dumps(event.data)
    page = text(response)
    assert "a corrigé le dossier : village (Kola → Kolaba)" in page
    assert "parties" in page and "Nom mal orthographié." in page
    assert "Famille Touré" in page


def test_a_corrected_date_of_the_facts_is_told_as_a_date(client, login, people, make_case):
    case = make_case("in_mediation")
    earlier = case.facts_date - timedelta(days=3)
    login(people.mediator)
    response = client.post(f"/cases/{case.reference}/correct",
                           data=_form(case, facts_date=earlier.isoformat()),
                           follow_redirects=True)
    assert case.facts_date == earlier
    told = f"date des faits ({short_date(earlier + timedelta(days=3))} → {short_date(earlier)})"
    assert told in text(response)


def test_a_confidential_case_event_keeps_no_value_in_the_clear(client, login, people,
                                                               make_case):
    case = make_case("reported", conflict_type="gbv")
    login(people.coordinator)
    response = client.post(f"/cases/{case.reference}/correct", data=_form(
        case, village="Sirakoro", **{"parties-1-name": "Awa Sangaré"}))
    assert response.status_code == 302
    [event] = _corrections(case)
    assert event.data["fields"] == ["village", "parties"] and event.data["values"] == {}
    stored = json.dumps(event.data, ensure_ascii=False)
    for secret in ("Kola", "Sirakoro", "Aminata", "Awa", "Traoré"):
        assert secret not in stored
    # The mayor reads that it was corrected, not what nor why.
    page = text(login(people.mayor, client).get(f"/cases/{case.reference}"))
    assert "a corrigé le dossier" in page
    assert "Awa" not in page and "Nom mal orthographié" not in page


def test_only_the_coordination_lifts_the_confidentiality(client, login, people, make_case):
    case = make_case("reported", conflict_type="gbv")
    team.assign_team(people.coordinator, case, [people.mediator.id])
    db.session.commit()
    login(people.mediator)
    response = client.post(f"/cases/{case.reference}/correct",
                           data=_form(case, conflict_type="land"))
    assert response.status_code == 400 and case.confidential
    assert "Seule la coordination" in text(response)
    login(people.coordinator)
    response = client.post(f"/cases/{case.reference}/correct",
                           data=_form(case, conflict_type="land"))
    assert response.status_code == 302
    db.session.refresh(case)
    assert not case.confidential


def test_a_stale_form_is_a_409_that_keeps_what_was_typed(client, login, people, make_case):
    case = make_case("in_mediation")
    stale = _form(case, village="Kolaba", reason="Village mal saisi.")
    login(people.coordinator)
    assert client.post(f"/cases/{case.reference}/correct",
                       data=_form(case, description="Deux familles, un champ.")).status_code \
        == 302
    login(people.mediator)
    response = client.post(f"/cases/{case.reference}/correct", data=stale)
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert 'value="Kolaba"' in page and "Village mal saisi." in page
    db.session.refresh(case)
    assert case.village == "Kola" and f'value="{case.version}"' in page


def test_a_correction_says_why_and_changes_something(client, login, people, make_case):
    case = make_case("in_mediation")
    login(people.mediator)
    url = f"/cases/{case.reference}/correct"
    assert client.post(url, data=_form(case, village="Kolaba", reason="")).status_code == 400
    assert client.post(url, data=_form(case)).status_code == 400
    assert _corrections(case) == []


@pytest.mark.parametrize("state, who", [("proposed", "mediator"), ("closed", "coordinator")])
def test_a_corrected_name_prints_on_the_record(client, login, people, make_case, state, who):
    """Before the sign-offs by the team; on a closed case, found after the signatures, by a
    coordinator: the record printed again shows the name as corrected."""
    case = make_case(state)
    login(getattr(people, who))
    assert client.post(f"/cases/{case.reference}/correct",
                       data=_form(case, **{"parties-1-name": "Aminata Konaté"})).status_code \
        == 302
    pdf = client.get(f"/cases/{case.reference}/agreements/{case.proposals[-1].id}.pdf")
    printed = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Aminata Konaté" in printed and "Aminata Koné" not in printed


def test_a_step_is_corrected_and_the_figures_follow(client, login, people, make_case):
    case = make_case("in_mediation")
    from tests.factories import advance
    advance(people, case, "step")
    db.session.commit()
    step = case.steps[0]
    login(people.mediator)
    url = f"/cases/{case.reference}/steps/{step.id}/correct"
    page = client.get(url)
    assert page.status_code == 200 and 'value="Vestibule du chef"' in page.get_data(as_text=True)
    data = {"version": case.version, "step_date": step.step_date.isoformat(),
            "kind": step.kind, "place": "Mairie", "women": 7, "men": 5, "young_women": 1,
            "young_men": 2, "summary": step.summary, "outcome": step.outcome,
            "reason": "Les femmes avaient été mal comptées."}
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200
    assert step.women == 7 and step.place == "Mairie"
    month = db.session.scalar(select(ParticipationMonth).where(
        ParticipationMonth.commune_id == people.commune.id))
    assert month.women == 7
    assert "a corrigé une étape de médiation : lieu, femmes" in text(response)
    assert client.post(url, data=data).status_code == 409  # the version moved on


def test_a_visit_is_corrected(client, login, people, make_case, cast):
    case = make_case("followed_up")
    visit = case.follow_ups[0]
    url = f"/cases/{case.reference}/follow-ups/{visit.id}/correct"
    data = {"version": case.version, "visit_date": visit.visit_date.isoformat(),
            "notes": "Les bornes sont en place.", "reason": "Notes oubliées."}
    login(people.mayor)
    assert client.post(url, data=data).status_code == 403
    login(people.mediator)
    response = client.post(url, data=data, follow_redirects=True)
    assert response.status_code == 200 and visit.notes == "Les bornes sont en place."
    assert "a corrigé une visite de suivi : notes" in text(response)


@pytest.mark.parametrize("role, allowed", [
    ("team_mediator", True), ("coordinator", False), ("mayor", False), ("chief", False),
    ("other_mediator", False), ("foreign_coordinator", False)])
def test_the_proposer_withdraws_a_pending_proposal(app, people, make_case, cast, login,
                                                   role, allowed):
    case = make_case("proposed")
    proposal = case.pending_proposal
    client = login(cast[role], app.test_client())
    url = f"/cases/{case.reference}/proposals/{proposal.id}/withdraw"
    response = client.post(url, data={"version": case.version, "reason": "Termes à revoir."})
    db.session.refresh(proposal)
    if allowed:
        assert response.status_code == 302 and proposal.status == "withdrawn"
        page = text(client.get(f"/cases/{case.reference}"))
        assert "a retiré l'accord proposé" in page and "Retirée par son auteur" in page
        assert "/actions/resolve" in page  # a new agreement may be proposed
        assert database_problems(db.session) == []
    else:
        assert response.status_code == (404 if role.startswith("foreign") else 403)
        assert proposal.status == "pending"


def test_a_withdrawal_says_why(client, login, people, make_case):
    case = make_case("proposed")
    login(people.mediator)
    url = f"/cases/{case.reference}/proposals/{case.pending_proposal.id}/withdraw"
    response = client.post(url, data={"version": case.version, "reason": " "})
    assert response.status_code == 400 and case.pending_proposal is not None


def _broken_at_30_days(people, case):
    """The 30-day visit finds the agreement broken: the case goes back to mediation."""
    approved_days_ago(case, 30 - NOTICE_DAYS)
    followups.record_follow_up(people.mediator, case, FollowUpInput(
        visit_date=local_today(), outcome="broken", milestone_days=30,
        notes="Le champ est de nouveau disputé."))
    db.session.commit()


def test_a_case_corrected_into_gender_based_violence_is_not_reopened_into_mediation(
        people, make_case):
    """A visit finds the agreement broken on a case since corrected into gender-based
    violence: the visit is kept, and the case is not sent back to mediation (never for such a
    case), with no error for the person who records it."""
    case = make_case("resolved", conflict_type="boundary")
    corrections.correct_case(people.mediator, case, corrections.CaseCorrection(
        village=case.village, conflict_type=GBV, description=case.description,
        facts_date=case.facts_date, reason="C'est une affaire de violence basée sur le genre.",
        parties=[PartyInput(name=p.name, sex=p.sex, age_group=p.age_group, kind=p.kind,
                            people_count=p.people_count) for p in case.parties]))
    db.session.commit()
    _broken_at_30_days(people, case)
    assert [v.outcome for v in case.follow_ups] == ["broken"]
    assert case.status == "resolved" and case.confidential
    assert database_problems(db.session) == []


# (state reached, the finding corrected to) -> the answer, and what the page says.
FINDINGS = [
    ("followed_up", "partly", 302, "a corrigé une visite de suivi : constat (Accord respecté → "
                                   "Accord respecté en partie), notes"),
    ("followed_up", "broken", 400, "enregistrez une nouvelle visite de suivi avec ce constat"),
    ("reopened", "respected", 400, "elle ne peut pas être corrigée en accord tenu"),
    ("reopened", "partly", 400, "elle ne peut pas être corrigée en accord tenu"),
]


@pytest.mark.parametrize("state, outcome, answer, said", FINDINGS)
def test_a_finding_is_corrected_only_where_the_case_stays_true_to_its_history(
        client, login, people, make_case, state, outcome, answer, said):
    case = make_case("resolved" if state == "reopened" else state)
    if state == "reopened":
        _broken_at_30_days(people, case)
    status, visit = case.status, case.follow_ups[0]
    found = visit.outcome
    login(people.mediator)
    response = client.post(f"/cases/{case.reference}/follow-ups/{visit.id}/correct",
                           data={"version": case.version, "outcome": outcome,
                                 "visit_date": visit.visit_date.isoformat(),
                                 "notes": "Une borne a été déplacée.", "reason": "Mal saisi."},
                           follow_redirects=answer == 302)
    assert response.status_code == (200 if answer == 302 else answer)
    assert said in text(response)
    db.session.refresh(visit)
    assert visit.outcome == (outcome if answer == 302 else found)
    assert case.status == status and database_problems(db.session) == []
