"""Corrections through the API: PATCH a case, a step, a visit with the case's version (409
when stale), a proposal withdrawn, a case moved; the same rules as the pages."""
import json

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Event

from .conftest import PROBLEM

CASES = "/api/v1/cases"
WHO = {"team_mediator": 200, "coordinator": 200, "other_mediator": 403, "mayor": 403,
       "chief": 403, "foreign_mediator": 404, "foreign_coordinator": 404, "admin": 404}


@pytest.mark.parametrize("who", sorted(WHO))
def test_who_corrects_a_case(api, make_case, cast, who):
    case = make_case("in_mediation")
    answer = api(cast[who]).patch(f"{CASES}/{case.reference}", json={
        "version": case.version, "village": "Kolaba", "reason": "Village mal saisi."})
    assert answer.status_code == WHO[who]
    db.session.refresh(case)
    assert (case.village == "Kolaba") is (WHO[who] == 200)
    if WHO[who] == 200:
        assert answer.get_json()["village"] == "Kolaba"
        assert [p["name"] for p in answer.get_json()["parties"]] == [
            "Famille Traoré", "Aminata Koné"]  # not sent: kept as recorded
    else:
        assert answer.mimetype == PROBLEM


def test_parties_replaced_and_a_stale_version_refused(api, people, make_case):
    case = make_case("in_mediation")
    caller, url = api(people.mediator), f"{CASES}/{case.reference}"
    version = case.version
    parties = [{"name": "Famille Touré", "sex": "M", "age_group": "adult", "kind": "family",
                "people_count": 6}]
    answer = caller.patch(url, json={"version": version, "parties": parties,
                                     "reason": "Une seule famille en cause."})
    assert answer.status_code == 200
    assert [p["name"] for p in answer.get_json()["parties"]] == ["Famille Touré"]
    stale = caller.patch(url, json={"version": version, "village": "Kolaba", "reason": "x"})
    assert stale.status_code == 409 and stale.mimetype == PROBLEM
    assert caller.patch(url, json={"version": answer.get_json()["version"],
                                   "village": "Kolaba"}).status_code == 400  # no reason
    event = db.session.scalar(select(Event).where(Event.kind == "case.corrected"))
    assert event.data["fields"] == ["parties"] and "Touré" not in json.dumps(event.data)


def test_a_step_and_a_visit_are_corrected(api, people, make_case):
    case = make_case("followed_up")
    caller, url = api(people.mediator), f"{CASES}/{case.reference}"
    step, visit = case.steps[0], case.follow_ups[0]
    answer = caller.patch(f"{url}/steps/{step.id}", json={
        "version": case.version, "women": 4, "reason": "Une femme oubliée."})
    assert answer.status_code == 200 and answer.get_json()["steps"][0]["women"] == 4
    answer = caller.patch(f"{url}/follow-ups/{visit.id}", json={
        "version": answer.get_json()["version"], "notes": "Bornes posées.",
        "reason": "Notes oubliées."})
    assert answer.status_code == 200
    assert answer.get_json()["follow_ups"][0]["notes"] == "Bornes posées."
    refused = caller.patch(f"{url}/follow-ups/{visit.id}", json={
        "version": answer.get_json()["version"], "outcome": "broken", "reason": "Rompu."})
    assert refused.status_code == 400 and "outcome" in refused.get_json()["errors"]
    assert caller.patch(f"{url}/steps/999999", json={
        "version": 1, "women": 4, "reason": "x"}).status_code == 404


def test_the_proposer_withdraws(api, people, make_case):
    case = make_case("proposed")
    proposal = case.pending_proposal
    url = f"{CASES}/{case.reference}/proposals/{proposal.id}/withdrawal"
    body = {"version": case.version, "reason": "Termes à revoir."}
    assert api(people.mayor).post(url, json=body).status_code == 403
    offered = api(people.mediator).get(f"{CASES}/{case.reference}/actions").get_json()
    assert offered["withdraw"] == [proposal.id] and offered["correct"]
    assert api(people.mayor).get(f"{CASES}/{case.reference}/actions").get_json()[
        "withdraw"] == []
    answer = api(people.mediator).post(url, json=body)
    assert answer.status_code == 200
    assert answer.get_json()["proposals"][-1]["status"] == "withdrawn"


def test_a_case_moved_by_a_coordinator_of_both(api, people, elsewhere, make_case, make_user):
    case = make_case("reported")
    old = case.reference
    body = {"version": case.version, "commune_id": elsewhere.commune.id,
            "reason": "Mauvaise commune."}
    assert api(people.coordinator).post(f"{CASES}/{old}/commune", json=body).status_code \
        == 400
    both = make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))
    assert api(people.coordinator).get(f"{CASES}/{old}/actions").get_json()["move_to"] == []
    assert api(both).get(f"{CASES}/{old}/actions").get_json()["move_to"] == [
        elsewhere.commune.id]
    answer = api(both).post(f"{CASES}/{old}/commune", json=body)
    assert answer.status_code == 200
    new = answer.get_json()["reference"]
    assert new.startswith(elsewhere.commune.code) and answer.headers["Location"].endswith(new)
    assert api(people.mediator).get(f"{CASES}/{new}").status_code == 404
    moved = api(both).get(f"{CASES}/{old}")
    assert moved.status_code == 302 and moved.headers["Location"].endswith(f"{CASES}/{new}")
    # A change sent to the former reference goes on with its method and body.
    sent = api(both).patch(f"{CASES}/{old}", json={"version": 1, "reason": "x"})
    assert sent.status_code == 308 and sent.headers["Location"].endswith(f"{CASES}/{new}")


@pytest.mark.parametrize("who", sorted(WHO))
def test_a_duplicate_merged_by_a_coordinator_of_the_commune(api, make_case, cast, who):
    kept, duplicate = make_case("reported"), make_case("reported")
    old = duplicate.reference
    body = {"version": duplicate.version, "into": kept.reference,
            "into_version": kept.version, "reason": "Signalé deux fois."}
    merges = who == "coordinator"
    if WHO[who] != 404:
        assert api(cast[who]).get(f"{CASES}/{old}/actions").get_json()["merge"] is merges
    answer = api(cast[who]).post(f"{CASES}/{old}/merge", json=body)
    assert answer.status_code == (200 if merges else 404 if WHO[who] == 404 else 403)
    if merges:
        assert answer.headers["Location"].endswith(f"{CASES}/{kept.reference}")
        assert answer.get_json()["reference"] == kept.reference
        moved = api(cast[who]).get(f"{CASES}/{old}")
        assert moved.status_code == 302
        assert moved.headers["Location"].endswith(f"{CASES}/{kept.reference}")
        # A change sent to it is not passed on: its version is the duplicate's.
        sent = api(cast[who]).patch(f"{CASES}/{old}", json={"version": 1, "reason": "x"})
        assert sent.status_code == 409 and kept.reference in sent.get_json()["detail"]


def test_a_merge_is_refused_while_a_proposal_waits(api, people, make_case):
    kept, duplicate = make_case("in_mediation"), make_case("proposed")
    answer = api(people.coordinator).post(f"{CASES}/{duplicate.reference}/merge", json={
        "version": duplicate.version, "into": kept.reference, "into_version": kept.version,
        "reason": "Doublon."})
    assert answer.status_code == 409 and answer.mimetype == PROBLEM
    stale = api(people.coordinator).post(f"{CASES}/{kept.reference}/merge", json={
        "version": kept.version, "into": duplicate.reference, "into_version": 1,
        "reason": "Doublon."})
    assert stale.status_code == 409
