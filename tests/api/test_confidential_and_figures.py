"""A confidential case hides its parties' names and facts in the API as on its page; the
workflows and the dashboard's figures as JSON, the dashboard for whom it is meant."""
import json

import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Event

CASES = "/api/v1/cases"
NAMES = ("Famille Traoré", "Aminata Koné", "Seydou Diallo", "Deux familles revendiquent")


@pytest.mark.parametrize("who, sees", [("mediator", True), ("coordinator", True),
                                       ("mayor", False), ("chief", False), ("other", False)])
def test_a_confidential_case_hides_the_names_from_all_but_its_people(api, people, make_user,
                                                                     make_case, who, sees):
    case = make_case("reported", conflict_type="gbv")  # reported by people.mediator
    user = (make_user((people.commune, "mediator")) if who == "other"
            else getattr(people, who))
    response = api(user).get(f"{CASES}/{case.reference}")
    assert response.status_code == 200
    body = response.get_json()
    text = json.dumps(body, ensure_ascii=False)
    assert body["confidential"] is True and body["identities_hidden"] is (not sees)
    assert all((name in text) is sees for name in NAMES)
    if not sees:
        assert [p["name"] for p in body["parties"]] == [None, None]
        assert body["description"] is None and body["reporter_name"] is None
        assert [p["sex"] for p in body["parties"]] == ["M", "F"]  # what the page shows too
    listed = json.dumps(api(user).get(CASES).get_json(), ensure_ascii=False)
    assert not any(name in listed for name in NAMES)
    viewed = db.session.scalar(select(Event).where(Event.kind == "case.viewed"))
    assert viewed.actor_id == user.id and viewed.data["identities"] is sees


def test_a_referred_confidential_case_hides_its_note_and_texts(api, people, make_case):
    case = make_case("referred", conflict_type="gbv")
    body = api(people.mayor).get(f"{CASES}/{case.reference}").get_json()
    assert body["decision_note"] is None and body["referral_target"] == "cofo"


def test_the_workflows_as_json(api, people):
    response = api(people.mayor).get("/api/v1/workflows")
    assert response.status_code == 200
    gbv, land, mediation, newer = response.get_json()  # every version: cases keep theirs
    assert (gbv["name"], gbv["version"], gbv["initial"]) == ("gbv_referral", 1, "reported")
    answers = {t["trigger"]: t["on_referral"] for t in gbv["transitions"]}
    assert answers == {"refer": None, "service_accepts": "accepted",
                       "service_declines": "declined",
                       "service_records_outcome": "outcome_recorded", "follow_up": None,
                       "close": None, "close_without_outcome": None}
    assert not any(s["allows"] for s in gbv["states"])  # never mediated
    assert (land["name"], land["version"]) == ("land", 1)
    record = next(t for t in land["transitions"] if t["trigger"] == "record_cofo_conciliation")
    assert (record["by"], record["form"]) == (["mediator", "service_focal_point"], "cofo_record")
    tags = {s["name"]: s["tags"] for s in land["states"]}
    assert tags["referred_to_tribunal"] == ["final_outcome", "referred"]  # sorted
    assert tags["conciliated_by_cofo"] == ["resolved"] and tags["at_cofo"] == []
    assert (mediation["name"], mediation["version"], mediation["initial"]) == \
        ("mediation", 1, "reported")
    assert (newer["name"], newer["version"]) == ("mediation", 2)
    assert "pre_mediation_hearing" in {s["name"] for s in newer["states"]}
    states = {s["name"]: s for s in mediation["states"]}
    assert states["resolved"]["follow_up_days"] == [30, 90] and states["closed"]["final"]
    assert states["closed"]["tags"] == ["closed", "final_outcome"]
    assert (states["in_mediation"]["warn_days"], states["in_mediation"]["idle_days"]) == (45, 14)
    resolve = next(t for t in mediation["transitions"] if t["trigger"] == "resolve")
    assert resolve["signoffs"] == ["commune_authority", "traditional_leader"]
    assert resolve["labels"]["en"] == "Propose an agreement"


@pytest.mark.parametrize("who, status", [("coordinator", 200), ("mayor", 200), ("chief", 200),
                                         ("mediator", 403)])
def test_the_dashboard_figures_of_the_callers_communes(api, people, elsewhere, make_case, who,
                                                       status):
    make_case("in_mediation")
    make_case("reported", who=elsewhere)
    make_case("reported", who=elsewhere)
    response = api(getattr(people, who)).get("/api/v1/dashboard")
    assert response.status_code == status
    if status == 200:
        body = response.get_json()
        assert [row["commune"]["id"] for row in body["communes"]] == [people.commune.id]
        assert body["open_by_state"]["in_mediation"] == 1
        assert body["open_by_state"]["reported"] == 0
        figures = {f["label"]: f["value"] for f in body["figures"]}
        assert figures["Dossiers ouverts"] == 1


def test_the_dashboard_filters_and_names_a_bad_one(api, people, make_case):
    make_case("in_mediation", conflict_type="land")
    caller = api(people.coordinator, "en")
    land = caller.get("/api/v1/dashboard", query_string={"type": "land"}).get_json()
    family = caller.get("/api/v1/dashboard", query_string={"type": "family"}).get_json()
    assert land["by_type"] == {"land": 1} and family["by_type"] == {}
    assert {f["label"] for f in land["figures"]} >= {"Open cases"}
    swapped = caller.get("/api/v1/dashboard", query_string={"from": "2026-11-30",
                                                             "to": "2026-11-01"})
    assert swapped.status_code == 400 and list(swapped.get_json()["errors"]) == ["to"]
