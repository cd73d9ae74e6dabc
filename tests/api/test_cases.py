"""The case list, reporting a conflict, reading a case and what the caller may do on it, each
by the same access rules as the pages: another commune's case is a 404, and never listed."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from casework.clock import utcnow
from casework.extensions import db
from casework.models import Case, Event
from casework.queries.case_list import Key
from tests.dates import typed
from tests.factories import PATHS, STATES

from .conftest import PROBLEM, cases_of

CASES = "/api/v1/cases"


def new_case(commune_id, **changes) -> dict:
    body = {
        "commune_id": commune_id, "village": "Sanankoroba", "conflict_type": "farmer_herder",
        "description": "Des bœufs ont détruit un champ de mil.", "reporter_name": "Awa Sidibé",
        "channel": "phone", "facts_date": typed(-33),
        "parties": [{"name": "N'Golo Diarra", "sex": "M", "age_group": "adult"},
                    {"name": "Famille Ɲaarè", "sex": "X", "age_group": "mixed",
                     "kind": "family", "people_count": 9}],
    }
    body.update(changes)
    return body


# -- the list ----------------------------------------------------------------------------------

def test_the_list_holds_the_callers_communes_only(api, people, elsewhere, make_case):
    mine = make_case("reported")
    theirs = make_case("reported", who=elsewhere)
    for user in (people.mediator, people.mayor, people.chief, people.coordinator):
        response = api(user).get(CASES)
        assert response.status_code == 200
        assert cases_of(response) == [mine.reference]
    assert cases_of(api(elsewhere.mayor).get(CASES)) == [theirs.reference]
    # Asking for the other commune by its id shows nothing of it.
    asked = api(people.mayor).get(CASES, query_string={"commune": elsewhere.commune.id})
    assert asked.status_code == 200 and cases_of(asked) == []


def test_the_list_filters_by_state_type_and_commune(api, people, make_case):
    reported = make_case("reported", conflict_type="land")
    mediating = make_case("in_mediation", conflict_type="family")
    caller = api(people.coordinator)

    def listed(**query):
        return set(cases_of(caller.get(CASES, query_string=query)))

    assert listed() == {reported.reference, mediating.reference}
    assert listed(state="in_mediation") == {mediating.reference}
    assert listed(type="land") == {reported.reference}
    assert listed(commune=people.commune.id, state="reported") == {reported.reference}
    assert listed(type="family", state="reported") == set()


def test_updated_since_selects_the_cases_changed_since(api, people, make_case):
    old, recent = make_case("reported"), make_case("reported")
    db.session.execute(Case.__table__.update().where(Case.id == old.id).values(
        updated_at=datetime(2026, 1, 5, 12, 0, tzinfo=timezone.utc)))
    db.session.commit()
    caller = api(people.mediator)
    since = caller.get(CASES, query_string={"updated_since": "2026-06-01T00:00:00Z"})
    assert cases_of(since) == [recent.reference]
    both = caller.get(CASES, query_string={"updated_since": "2026-01-05T13:00:00+02:00"})
    assert set(cases_of(both)) == {old.reference, recent.reference}


def test_the_list_is_paginated(api, people, make_case):
    made = [make_case("reported").reference for _ in range(5)]
    caller = api(people.mediator)
    first = caller.get(CASES, query_string={"per_page": 2}).get_json()
    assert (first["total"], first["pages"], first["page"]) == (5, 3, 1)
    pages = [cases_of(caller.get(CASES, query_string={"per_page": 2, "page": n}))
             for n in (1, 2, 3, 4)]
    assert [len(p) for p in pages] == [2, 2, 1, 0]
    assert sum(pages, []) == list(reversed(made))  # newest first


def test_the_list_is_walked_by_cursor_both_ways(api, people, elsewhere, make_case):
    made = [make_case(("reported", "in_mediation")[i % 2]).reference for i in range(5)]
    make_case("reported", who=elsewhere)
    caller = api(people.coordinator)
    forward, query = [], {"per_page": 2}
    while True:
        body = caller.get(CASES, query_string=query).get_json()
        forward.append([c["reference"] for c in body["items"]])
        assert body["total"] == 5 and body["pages"] == 3
        assert body["page"] == (1 if "after" not in query else None)
        if body["next"] is None:
            break
        query = {"per_page": 2, "after": body["next"]}
    assert sum(forward, []) == list(reversed(made)) and body["page"] is None
    backward = []
    while body["previous"] is not None:
        body = caller.get(CASES, query_string={"per_page": 2, "before": body["previous"]}
                          ).get_json()
        backward.insert(0, [c["reference"] for c in body["items"]])
    assert backward == forward[:-1]
    last = caller.get(CASES, query_string={"per_page": 2, "before": "end"}).get_json()
    assert [c["reference"] for c in last["items"]] == sum(forward, [])[-2:]
    # The filters hold on every page.
    mediating = caller.get(CASES, query_string={"per_page": 1, "state": "in_mediation"})
    after = mediating.get_json()["next"]
    second = caller.get(CASES, query_string={"per_page": 1, "state": "in_mediation",
                                             "after": after}).get_json()
    assert cases_of(mediating) + [c["reference"] for c in second["items"]] == \
        [made[3], made[1]] and second["next"] is None


def test_a_forged_cursor_lists_only_the_callers_cases(api, people, elsewhere, make_case):
    mine = make_case("reported")
    theirs = make_case("reported", who=elsewhere)
    # Cursors that take in every case, theirs too, if the access conditions did not hold.
    for query in ({"before": "946684800000000.1"}, {"after": "4102444799000000.1"},
                  {"after": str(Key(theirs.created_at, theirs.id + 1))}, {"before": "end"}):
        assert cases_of(api(people.mayor).get(CASES, query_string=query)) == [mine.reference]
    # Past the end (the cases after it merged since, or a cursor typed): an empty last page.
    beyond = api(people.mayor).get(CASES, query_string={"after": "946684800000000.1"})
    assert beyond.get_json() == {"items": [], "page": None, "per_page": 25, "total": 1,
                                 "pages": 1, "next": None, "previous": None}


@pytest.mark.parametrize("query, field", [
    ({"after": "abc"}, "after"), ({"after": "1.1"}, "after"), ({"before": "later"}, "before"),
    ({"after": "1764547200000000.0"}, "after"),
    ({"after": "1764547200000000.1", "before": "1764547200000000.2"}, "after"),
    ({"after": "1764547200000000.1", "page": 2}, "page")])
def test_a_bad_cursor_is_a_400_in_french(api, people, query, field):
    response = api(people.mediator).get(CASES, query_string=query)
    assert response.status_code == 400 and response.mimetype == PROBLEM
    assert field in response.get_json()["errors"]
    assert response.get_json()["title"] != "Bad Request"


@pytest.mark.parametrize("query, field", [
    ({"state": "nowhere"}, "state"), ({"type": "war"}, "type"), ({"per_page": 1000}, "per_page"),
    ({"page": 0}, "page"), ({"updated_since": "yesterday"}, "updated_since"),
    ({"updated_since": "0001-01-01T00:00:00+01:00"}, "updated_since"),
    ({"commune": "x"}, "commune")])
def test_a_bad_filter_is_a_400_naming_it(api, people, query, field):
    response = api(people.mediator).get(CASES, query_string=query)
    assert response.status_code == 400 and response.mimetype == PROBLEM
    assert field in response.get_json()["errors"]


# -- reporting --------------------------------------------------------------------------------

@pytest.mark.parametrize("who", ["mediator", "coordinator"])
def test_a_mediator_or_coordinator_reports_a_conflict(api, people, who):
    response = api(getattr(people, who)).post(CASES, json=new_case(people.commune.id))
    assert response.status_code == 201
    body = response.get_json()
    assert response.headers["Location"].endswith(f"/api/v1/cases/{body['reference']}")
    assert body["status"] == "reported" and body["version"] == 1
    assert [p["name"] for p in body["parties"]] == ["N'Golo Diarra", "Famille Ɲaarè"]
    case = db.session.scalar(select(Case).where(Case.reference == body["reference"]))
    assert case.created_by_id == getattr(people, who).id
    reported = db.session.scalar(select(Event).where(Event.kind == "case.reported"))
    assert reported.case_id == case.id and "N'Golo" not in str(reported.data)


@pytest.mark.parametrize("who", ["mayor", "chief"])
def test_a_mayor_or_chief_reports_nothing(api, people, who):
    response = api(getattr(people, who)).post(CASES, json=new_case(people.commune.id))
    assert response.status_code == 403 and response.mimetype == PROBLEM
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_reporting_in_another_commune_is_refused_on_its_field(api, people, elsewhere):
    response = api(people.mediator).post(CASES, json=new_case(elsewhere.commune.id))
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == ["commune_id"]
    assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize("changes, field", [
    ({"village": ""}, "village"), ({"village": "   "}, "village"),
    ({"village": "x" * 161}, "village"), ({"description": "a\x00b"}, "description"),
    ({"conflict_type": "war"}, "conflict_type"), ({"parties": []}, "parties"),
    ({"parties": [{"name": "", "sex": "M", "age_group": "adult"}]}, "parties.0.name"),
    ({"parties": [{"name": "A", "sex": "Z", "age_group": "adult"}]}, "parties.0.sex"),
    ({"injuries": -1}, "injuries"), ({"injuries": "3"}, "injuries"),
    ({"deaths": 10**12}, "deaths"), ({"facts_date": typed(1)}, "facts_date"),
    ({"facts_date": "29/11/2026"}, "facts_date"), ({"commune_id": 0}, "commune_id"),
    ({"commune_id": 2**40}, "commune_id")])
def test_bad_input_is_a_400_naming_the_field_and_why(api, people, changes, field):
    body = {**new_case(people.commune.id), **changes}
    response = api(people.mediator, "en").post(CASES, json=body)
    assert response.status_code == 400 and response.mimetype == PROBLEM
    problem = response.get_json()
    assert problem["title"] == "The request is not valid"
    assert list(problem["errors"]) == [field] and problem["errors"][field][0]
    assert db.session.scalar(select(func.count(Case.id))) == 0


@pytest.mark.parametrize("extra", [
    {"status": "closed"}, {"confidential": True}, {"reference": "XX-2026-0001"},
    {"version": 7}, {"created_by_id": 1}, {"role": "coordinator"}, {"id": 99}])
def test_fields_it_may_not_set_are_refused_and_change_nothing(api, people, extra):
    response = api(people.mediator).post(CASES, json=new_case(people.commune.id, **extra))
    assert response.status_code == 400
    assert list(response.get_json()["errors"]) == list(extra)
    assert db.session.scalar(select(func.count(Case.id))) == 0


def test_the_same_submission_key_reports_once(api, people):
    caller = api(people.mediator)
    body = new_case(people.commune.id, submission="tablette-7-0042")
    assert caller.post(CASES, json=body).status_code == 201
    again = caller.post(CASES, json=body)
    assert again.status_code == 409 and again.mimetype == PROBLEM
    assert db.session.scalar(select(func.count(Case.id))) == 1


# -- reading ----------------------------------------------------------------------------------

@pytest.mark.parametrize("state", STATES)
def test_every_role_of_the_commune_reads_the_case(api, people, cast, make_case, state):
    case = make_case(state)
    for user in (people.mediator, cast["other_mediator"], people.mayor, people.chief,
                 people.coordinator):
        response = api(user).get(f"{CASES}/{case.reference}")
        assert response.status_code == 200
        body = response.get_json()
        assert body["status"] == case.status and body["version"] == case.version
        assert body["identities_hidden"] is False
        assert body["parties"][0]["name"] == "Famille Traoré"
    assert len(body["steps"]) == ("step" in PATHS[state])


@pytest.mark.parametrize("who", ["mediator", "mayor", "chief", "coordinator"])
def test_another_communes_case_is_a_404_and_the_denial_is_logged(api, people, elsewhere,
                                                                  make_case, who):
    case = make_case("in_mediation", who=elsewhere)
    caller = api(getattr(people, who))
    for path in ("", "/actions"):
        response = caller.get(f"{CASES}/{case.reference}{path}")
        assert response.status_code == 404 and response.mimetype == PROBLEM
    write = caller.post(f"{CASES}/{case.reference}/steps", json={
        "version": case.version, "step_date": typed(-2), "kind": "joint_session",
        "place": "Mairie", "summary": "Séance commune.", "women": 2})
    assert write.status_code == 404
    denied = list(db.session.scalars(select(Event).where(Event.kind == "access.denied")))
    assert len(denied) == 3 and {e.actor_id for e in denied} == {getattr(people, who).id}
    unknown = caller.get(f"{CASES}/TAAA-2026-9999")
    assert unknown.get_json() == response.get_json()  # the same answer as for a real case


@pytest.mark.parametrize("reference", ["nope", "taaa-2026-0001", "TAAA-2026-0001x", "%00"])
def test_a_malformed_reference_is_a_404(api, people, reference):
    assert api(people.mediator).get(f"{CASES}/{reference}").status_code == 404


# -- what the caller may do now ------------------------------------------------------------

# (state, who) -> triggers offered, sign-off offered, may log a step, may record a visit
ACTIONS = [
    ("reported", "mediator", {"declare_not_admissible", "refer"}, False, False, False),
    ("reported", "coordinator", {"declare_not_admissible", "refer"}, False, False, False),
    ("reported", "mayor", set(), False, False, False),
    ("in_mediation", "mediator", {"declare_not_admissible", "refer"}, False, True, False),
    ("in_mediation", "chief", set(), False, False, False),
    # A land case (land v1) with a step logged may also go to the COFO, as it may be referred.
    ("proposed", "mediator", {"declare_not_admissible", "refer", "refer_to_cofo"}, False, True,
     False),
    ("proposed", "mayor", set(), True, False, False),
    ("proposed", "chief", set(), True, False, False),
    ("proposed", "coordinator", {"declare_not_admissible", "refer", "refer_to_cofo"}, False,
     True, False),
    ("resolved", "mediator", set(), False, False, True),
    ("resolved", "mayor", set(), False, False, False),
    ("followed_up", "coordinator", {"close"}, False, False, True),
    ("followed_up", "mediator", set(), False, False, True),
    ("closed", "coordinator", set(), False, False, False),
    ("referred", "mediator", set(), False, False, False),
    # A mediator of the commune who is not on the team: the case's mediator only while it has
    # no team (to refer it or set its team), then nothing.
    ("reported", "other_mediator", {"declare_not_admissible", "refer"}, False, False, False),
    ("in_mediation", "other_mediator", set(), False, False, False),
    ("proposed", "other_mediator", set(), False, False, False),
    ("resolved", "other_mediator", set(), False, False, False),
    ("followed_up", "other_mediator", set(), False, False, False),
    ("referred", "other_mediator", set(), False, False, False),
]


@pytest.mark.parametrize("state, who, triggers, signs, steps, visits", ACTIONS)
def test_actions_are_what_the_case_page_offers(api, people, cast, make_case, state, who,
                                               triggers, signs, steps, visits):
    case = make_case(state)
    caller = cast[who] if who in cast else getattr(people, who)
    body = api(caller).get(f"{CASES}/{case.reference}/actions").get_json()
    assert {t["trigger"] for t in body["transitions"]} == triggers
    assert bool(body["sign_offs"]) is signs
    assert (body["log_step"], body["record_follow_up"]) == (steps, visits)
    assert body["version"] == case.version
    if visits and state == "resolved":
        assert body["open_milestones"] == [30, 90]


def test_a_reported_case_with_its_team_offers_to_start_the_mediation(api, people, make_case):
    from casework.services import team
    case = make_case("reported")
    team.assign_team(people.mediator, case, [people.mediator.id])
    db.session.commit()
    body = api(people.mediator).get(f"{CASES}/{case.reference}/actions").get_json()
    assert "start_mediation" in {t["trigger"] for t in body["transitions"]}


def test_a_case_read_keeps_its_utc_times(api, people, make_case):
    case = make_case("reported")
    body = api(people.mediator).get(f"{CASES}/{case.reference}").get_json()
    created = datetime.fromisoformat(body["created_at"])
    assert created.utcoffset() == timedelta(0)
    assert abs(created - utcnow()) < timedelta(minutes=5)
