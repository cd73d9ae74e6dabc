"""Changing a case through the API: transitions with the case's version, proposals, sign-offs,
steps, follow-up visits, the team; 409 for a stale version, a transition not possible now or a
second sign-off, 403 for a role that may not act, 400 naming the field."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.clock import local_today
from casework.extensions import db
from casework.models import Case, Event, MediationStep
from tests import team_table
from tests.factories import approved_days_ago

from .conftest import PROBLEM

CASES = "/api/v1/cases"


def step_body(version, **changes):
    body = {"version": version, "step_date": local_today().isoformat(), "kind": "joint_session",
            "place": "Vestibule du chef", "summary": "Les deux familles ont été entendues.",
            "women": 2, "men": 3}
    body.update(changes)
    return body


def reload(case) -> Case:
    db.session.expire_all()
    return db.session.get(Case, case.id)


# -- transitions -----------------------------------------------------------------------------

def test_a_mediation_from_report_to_agreement(api, people, make_case):
    """The whole road through the API: team, start, a step, a proposal, both sign-offs."""
    case = make_case("reported")
    mediator, url = api(people.mediator), f"{CASES}/{case.reference}"
    body = mediator.put(url + "/team", json={"version": 1, "members": [people.mediator.id]})
    assert body.status_code == 200
    version = body.get_json()["version"]
    started = mediator.post(url + "/transitions/start_mediation", json={"version": version})
    assert started.status_code == 200 and started.get_json()["status"] == "in_mediation"
    stepped = mediator.post(url + "/steps", json=step_body(started.get_json()["version"]))
    assert stepped.status_code == 201 and len(stepped.get_json()["steps"]) == 1
    proposed = mediator.post(url + "/proposals", json={
        "version": stepped.get_json()["version"], "agreement_text": "Le champ est partagé."})
    assert proposed.status_code == 201
    proposal = proposed.get_json()["proposals"][-1]
    assert proposal["status"] == "pending"
    assert proposal["awaited_roles"] == ["commune_authority", "traditional_leader"]
    sign = f"{url}/proposals/{proposal['id']}/sign-offs"
    version = proposal["version"]
    by_mayor = api(people.mayor).post(sign, json={"version": version, "decision": "approve"})
    assert by_mayor.status_code == 201 and by_mayor.get_json()["status"] == "in_mediation"
    # The chief signs on the proposal's version he read before the mayor's approval: both count.
    by_chief = api(people.chief).post(sign, json={"version": version, "decision": "approve",
                                                   "comment": "Accepté."})
    assert by_chief.status_code == 201 and by_chief.get_json()["status"] == "resolved"
    assert reload(case).status == "resolved"
    kinds = list(db.session.scalars(select(Event.kind).where(Event.case_id == case.id)))
    assert kinds.count("case.transition") == 2 and kinds.count("case.signed_off") == 2


def test_firing_a_transition_with_its_form(api, people, make_case):
    case = make_case("in_mediation")
    response = api(people.mediator).post(
        f"{CASES}/{case.reference}/transitions/refer",
        json={"version": case.version, "referral_target": "cofo", "note": "Litige foncier."})
    assert response.status_code == 200
    assert (response.get_json()["status"], response.get_json()["referral_target"]) == \
        ("referred", "cofo")


def test_a_stale_version_is_a_409_and_changes_nothing(api, people, make_case):
    case = make_case("in_mediation")
    response = api(people.mediator, "en").post(
        f"{CASES}/{case.reference}/transitions/declare_not_admissible",
        json={"version": case.version - 1, "note": "Affaire pénale."})
    assert response.status_code == 409 and response.mimetype == PROBLEM
    assert response.get_json()["title"] == "Conflict with the current state of the case"
    assert reload(case).status == "in_mediation"


def test_a_transition_not_possible_now_is_a_409(api, people, make_case):
    case = make_case("reported")  # no team yet: the mediation cannot start
    response = api(people.mediator).post(f"{CASES}/{case.reference}/transitions/start_mediation",
                                         json={"version": case.version})
    assert response.status_code == 409
    closed = make_case("closed")
    response = api(people.coordinator).post(f"{CASES}/{closed.reference}/transitions/refer",
                                            json={"version": closed.version,
                                                  "referral_target": "justice"})
    assert response.status_code == 409


@pytest.mark.parametrize("who", ["mayor", "chief"])
def test_a_role_that_may_not_fire_is_a_403(api, people, make_case, who):
    case = make_case("in_mediation")
    response = api(getattr(people, who)).post(
        f"{CASES}/{case.reference}/transitions/refer",
        json={"version": case.version, "referral_target": "justice"})
    assert response.status_code == 403 and response.mimetype == PROBLEM
    assert reload(case).status == "in_mediation"


def test_an_unknown_trigger_is_a_404(api, people, make_case):
    case = make_case("reported")
    response = api(people.mediator).post(f"{CASES}/{case.reference}/transitions/fly",
                                         json={"version": case.version})
    assert response.status_code == 404


def test_a_missing_reason_is_a_400_on_its_field(api, people, make_case):
    case = make_case("reported")
    response = api(people.mediator).post(
        f"{CASES}/{case.reference}/transitions/declare_not_admissible",
        json={"version": case.version})
    assert response.status_code == 400 and list(response.get_json()["errors"]) == ["note"]


def test_the_version_is_required(api, people, make_case):
    case = make_case("reported")
    response = api(people.mediator).post(f"{CASES}/{case.reference}/transitions/refer",
                                         json={"referral_target": "justice"})
    assert response.status_code == 400 and "version" in response.get_json()["errors"]


@pytest.mark.parametrize("extra", [{"status": "closed"}, {"commune_id": 1},
                                   {"role": "coordinator"}, {"to_state": "closed"}])
def test_a_body_with_fields_it_may_not_set_changes_nothing(api, people, make_case, extra):
    case = make_case("in_mediation")
    response = api(people.mediator).post(
        f"{CASES}/{case.reference}/transitions/refer",
        json={"version": case.version, "referral_target": "justice", **extra})
    assert response.status_code == 400 and list(response.get_json()["errors"]) == list(extra)
    assert reload(case).status == "in_mediation"


# -- proposals and sign-offs -------------------------------------------------------------------

def test_the_proposer_cannot_sign_and_a_second_sign_off_is_a_409(api, people, make_case):
    case = make_case("proposed")
    proposal = case.pending_proposal
    url = f"{CASES}/{case.reference}/proposals/{proposal.id}/sign-offs"
    read = {"version": proposal.version}  # the proposal's, not the case's
    own = api(people.mediator).post(url, json={**read, "decision": "approve"})
    assert own.status_code == 403
    mayor = api(people.mayor)
    assert mayor.post(url, json={**read, "decision": "approve"}).status_code == 201
    twice = mayor.post(url, json={**read, "decision": "approve"})
    assert twice.status_code == 409 and twice.mimetype == PROBLEM


def test_a_rejection_needs_a_reason_and_keeps_the_case_where_it_was(api, people, make_case):
    case = make_case("proposed")
    url = f"{CASES}/{case.reference}/proposals/{case.pending_proposal.id}/sign-offs"
    chief, read = api(people.chief), {"version": case.pending_proposal.version}
    bare = chief.post(url, json={**read, "decision": "reject"})
    assert bare.status_code == 400 and list(bare.get_json()["errors"]) == ["comment"]
    rejected = chief.post(url, json={**read, "decision": "reject",
                                     "comment": "Les limites ne sont pas claires."})
    assert rejected.status_code == 201
    assert rejected.get_json()["proposals"][-1]["status"] == "rejected"
    assert rejected.get_json()["status"] == "in_mediation"


def test_a_proposal_of_another_case_is_a_404(api, people, make_case):
    case, other = make_case("proposed"), make_case("proposed")
    response = api(people.mayor).post(
        f"{CASES}/{case.reference}/proposals/{other.pending_proposal.id}/sign-offs",
        json={"version": case.pending_proposal.version, "decision": "approve"})
    assert response.status_code == 404


def test_proposing_twice_is_a_409(api, people, make_case):
    case = make_case("proposed")
    response = api(people.mediator).post(f"{CASES}/{case.reference}/proposals", json={
        "version": case.version, "agreement_text": "Un autre accord."})
    assert response.status_code == 409


def test_nothing_to_propose_in_a_final_state_is_a_409(api, people, make_case):
    case = make_case("referred")
    response = api(people.mediator).post(f"{CASES}/{case.reference}/proposals", json={
        "version": case.version, "agreement_text": "Un accord."})
    assert response.status_code == 409


# -- steps, follow-up visits, team -------------------------------------------------------------

@pytest.mark.parametrize("changes, field", [
    ({"step_date": (local_today() + timedelta(days=2)).isoformat()}, "step_date"),
    ({"women": 0, "men": 0}, "women"), ({"kind": "party"}, "kind"), ({"place": ""}, "place"),
    ({"summary": None}, "summary"), ({"men": -3}, "men"),
    ({"next_step_date": (local_today() - timedelta(days=400)).isoformat()}, "next_step_date")])
def test_a_bad_step_is_a_400_naming_the_field(api, people, make_case, changes, field):
    case = make_case("in_mediation")
    response = api(people.mediator).post(f"{CASES}/{case.reference}/steps",
                                         json=step_body(case.version, **changes))
    assert response.status_code == 400 and list(response.get_json()["errors"]) == [field]
    assert db.session.scalar(select(func.count(MediationStep.id))) == 0


@pytest.mark.parametrize("who, status", [("mediator", 201), ("coordinator", 201),
                                         ("mayor", 403), ("chief", 403)])
def test_who_logs_a_step(api, people, make_case, who, status):
    case = make_case("in_mediation")
    response = api(getattr(people, who)).post(f"{CASES}/{case.reference}/steps",
                                              json=step_body(case.version))
    assert response.status_code == status


def test_a_step_on_a_stale_version_is_a_409(api, people, make_case):
    case = make_case("in_mediation")
    caller, read = api(people.mediator), case.version
    assert caller.post(f"{CASES}/{case.reference}/steps",
                       json=step_body(read)).status_code == 201
    stale = caller.post(f"{CASES}/{case.reference}/steps", json=step_body(read))
    assert stale.status_code == 409 and stale.mimetype == PROBLEM
    assert db.session.scalar(select(func.count(MediationStep.id))) == 1


def test_a_broken_agreement_found_by_a_visit_reopens_the_case(api, people, make_case):
    case = make_case("resolved")
    approved_days_ago(case, 30)  # the 30-day visit is due
    db.session.commit()
    caller = api(people.mediator)
    url = f"{CASES}/{case.reference}/follow-ups"
    bare = caller.post(url, json={"version": case.version, "visit_date": local_today().isoformat(),
                                  "outcome": "broken", "milestone_days": 30})
    assert bare.status_code == 400 and list(bare.get_json()["errors"]) == ["notes"]
    broken = caller.post(url, json={"version": case.version, "outcome": "broken",
                                    "visit_date": local_today().isoformat(), "milestone_days": 30,
                                    "notes": "Le bétail est revenu dans le champ."})
    assert broken.status_code == 201
    assert broken.get_json()["status"] == "in_mediation"
    assert broken.get_json()["follow_ups"][0]["outcome"] == "broken"


def test_a_visit_before_any_agreement_is_refused(api, people, make_case):
    case = make_case("in_mediation")
    response = api(people.mediator).post(f"{CASES}/{case.reference}/follow-ups", json={
        "version": case.version, "visit_date": local_today().isoformat(),
        "outcome": "respected"})
    assert response.status_code == 403


def test_the_team_is_made_of_the_communes_mediators(api, people, elsewhere, make_case):
    case = make_case("reported")
    caller = api(people.coordinator)
    url = f"{CASES}/{case.reference}/team"
    foreign = caller.put(url, json={"version": case.version,
                                    "members": [elsewhere.mediator.id]})
    assert foreign.status_code == 400 and list(foreign.get_json()["errors"]) == ["members"]
    done = caller.put(url, json={"version": case.version, "members": [people.mediator.id]})
    assert done.status_code == 200
    assert [m["id"] for m in done.get_json()["team"]] == [people.mediator.id]
    assert api(people.mayor).put(url, json={"version": done.get_json()["version"],
                                            "members": [people.mediator.id]}).status_code == 403


@pytest.mark.parametrize("who", team_table.WHO)
@pytest.mark.parametrize("setup", team_table.SETUPS, ids=team_table.SETUP_IDS)
def test_who_sets_the_team_through_the_api(api, people, make_case, make_user, cast, setup, who):
    case, everyone = team_table.build(setup, people, cast, make_case, make_user)
    before = sorted(case.team_user_ids)
    wanted = team_table.wanted_team(people, everyone)
    caller = api(everyone[who])
    url = f"{CASES}/{case.reference}"
    actions = caller.get(url + "/actions")
    response = caller.put(url + "/team", json={"version": case.version, "members": wanted})
    team = sorted(reload(case).team_user_ids)
    if who in team_table.OUTSIDERS:
        assert (actions.status_code, response.status_code) == (404, 404)
        assert team == before
    elif who in setup.may_set_team:
        assert actions.get_json()["assign_team"] is True
        assert response.status_code == 200, response.get_json()
        assert team == wanted
    else:
        assert actions.get_json()["assign_team"] is False
        assert response.status_code == 403
        assert response.content_type == PROBLEM
        assert team == before


# The other mediator of the commune (not on the team), on every call that changes a case.
# (A case without a team is theirs to set up: the table above.)
@pytest.mark.parametrize("setup", ["reported", "in_mediation", "proposed", "resolved", "closed",
                                   "gbv-with-team", "gbv-referred"])
def test_a_mediator_of_the_commune_not_on_the_team_changes_nothing(api, people, make_case, cast,
                                                                  setup):
    case = team_table.case_in(setup, people, make_case)
    confidential = case.confidential
    other = api(cast["other_mediator"])
    url = f"{CASES}/{case.reference}"
    shown = other.get(url)
    assert shown.status_code == 200
    assert shown.get_json()["identities_hidden"] is confidential
    actions = other.get(url + "/actions").get_json()
    assert actions == {"version": case.version, "transitions": [], "sign_offs": [],
                       "log_step": False, "record_follow_up": False, "open_milestones": [],
                       "assign_team": False, "correct": False, "withdraw": [], "move_to": [],
                       "merge": False}
    version = case.version
    pending = case.pending_proposal
    calls = [
        ("PUT", url + "/team", {"members": [cast["other_mediator"].id]}),
        ("POST", url + "/steps", step_body(version)),
        ("POST", url + "/follow-ups", {"visit_date": local_today().isoformat(),
                                       "outcome": "respected"}),
        ("POST", url + "/transitions/refer", {"referral_target": "justice"}),
        ("POST", url + "/proposals", {"agreement_text": "Partage."}),
        ("PATCH", url, {"village": "Kolaba", "reason": "Village mal saisi."}),
        ("POST", url + "/commune", {"commune_id": people.commune.id, "reason": "Erreur."}),
    ]
    if pending is not None:
        calls.append(("POST", f"{url}/proposals/{pending.id}/sign-offs",
                      {"decision": "approve"}))
        calls.append(("POST", f"{url}/proposals/{pending.id}/withdrawal",
                      {"reason": "Termes à revoir."}))
    for method, path, body in calls:
        response = other.open(method, path, json={"version": version, **body})
        assert response.status_code in (403, 409), (path, response.status_code)
    assert reload(case).version == version
