"""/api/v1/referrals: the focal point's referrals and answers, under the pages' rules."""
from __future__ import annotations

import pytest

from tests.functional.test_query_counts import counting
from tests.referral_factories import referred

from .conftest import PROBLEM


@pytest.mark.parametrize("who, listed, opened", [
    ("focal_here", 200, 200), ("focal_elsewhere", 200, 404), ("team_mediator", 403, 403),
    ("coordinator", 403, 403), ("mayor", 403, 403),
])
def test_who_reaches_a_referral(api, people, make_case, directory, who, listed, opened):
    referral = referred(people, make_case, directory["here"][0])
    user = {"focal_here": directory["here"][1], "focal_elsewhere": directory["elsewhere"][1],
            "team_mediator": people.mediator, "coordinator": people.coordinator,
            "mayor": people.mayor}[who]
    caller = api(user)
    response = caller.get("/api/v1/referrals")
    assert response.status_code == listed
    if listed == 200:
        ids = [item["id"] for item in response.get_json()["items"]]
        assert (referral.id in ids) is (who == "focal_here")
    answered = caller.post(f"/api/v1/referrals/{referral.id}/accept",
                           json={"version": referral.version})
    assert answered.status_code == opened
    if opened != 200:
        assert answered.content_type == PROBLEM
        assert referral.status == "sent"


@pytest.mark.parametrize("consent", [True, False])
def test_the_names_come_only_with_consent(api, people, make_case, directory, consent):
    referral = referred(people, make_case, directory["here"][0], consent=consent,
                        conflict_type="gbv")
    [item] = api(directory["here"][1]).get("/api/v1/referrals").get_json()["items"]
    assert item["reference"] == referral.case.reference
    assert bool(item["parties"]) is consent and (item["village"] is not None) is consent
    assert item["reason"] == "Prise en charge médicale."


def test_accept_then_outcome_and_a_stale_version(api, people, make_case, directory):
    referral = referred(people, make_case, directory["here"][0])
    caller, url = api(directory["here"][1]), f"/api/v1/referrals/{referral.id}"
    accepted = caller.post(f"{url}/accept", json={"version": 1})
    assert accepted.status_code == 200 and accepted.get_json()["status"] == "accepted"
    stale = caller.post(f"{url}/decline", json={"version": 1, "decline_reason": "Non."})
    assert stale.status_code == 409
    blank = caller.post(f"{url}/outcome", json={"version": 2, "outcome": ""})
    assert blank.status_code in (400, 422)
    done = caller.post(f"{url}/outcome", json={"version": 2, "outcome": "Soins reçus."})
    assert done.status_code == 200 and done.get_json()["status"] == "outcome_recorded"


def test_the_list_costs_the_same_statements_however_many_referrals(
        api, people, make_case, directory):
    """The parties shown on each row (with consent) come with the list, not one query a row."""
    caller = api(directory["here"][1])
    caller.get("/api/v1/referrals")  # the token's first use is written once
    counts = []
    for _ in range(2):
        referred(people, make_case, directory["here"][0], consent=True)
        referred(people, make_case, directory["here"][0], consent=True)
        with counting() as statements:
            items = caller.get("/api/v1/referrals").get_json()["items"]
        assert all(item["parties"] for item in items)
        counts.append(len(statements))
    assert counts[0] == counts[1], counts
