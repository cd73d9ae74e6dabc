"""A case filed under the wrong commune, moved by a coordinator of both: who may (written out
by hand), what it takes with it, who loses sight of it, and its former reference."""
import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import CaseStateEntry, FormerReference, ParticipationMonth
from casework.services import cases
from tests.dates import typed
from tests.factories import case_input
from tests.invariants import database_problems

from .pages import text

# who -> the answer to their move of a case of `people`'s commune to `elsewhere`'s.
MOVERS = {
    "both_coordinator": 302,
    "coordinator": 400,  # covers the case's commune, not the one it would go to
    "foreign_coordinator": 404,  # covers the other commune only: does not see the case
    "team_mediator": 403, "other_mediator": 403, "mayor": 403, "chief": 403,
    "admin": 404, "foreign_mediator": 404, "foreign_mayor": 404,
}


@pytest.fixture
def both(people, elsewhere, make_user):
    return make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))


def _move(client, case, commune, reason="Signalé dans la mauvaise commune."):
    return client.post(f"/cases/{case.reference}/commune",
                       data={"version": case.version, "commune_id": commune.id,
                             "reason": reason})


@pytest.mark.parametrize("who", sorted(MOVERS))
def test_who_moves_a_case(app, people, elsewhere, make_case, cast, both, login, who):
    case = make_case("in_mediation")
    reference = case.reference
    client = login({**cast, "both_coordinator": both}[who], app.test_client())
    response = _move(client, case, elsewhere.commune)
    assert response.status_code == MOVERS[who]
    db.session.refresh(case)
    moved = MOVERS[who] == 302
    assert (case.commune_id == elsewhere.commune.id) is moved
    assert (case.reference != reference) is moved
    if not moved:  # the form does not open either (a 400 is a refused commune: 403 to open)
        opened = client.get(f"/cases/{reference}/commune").status_code
        assert opened == (404 if MOVERS[who] == 404 else 403)


@pytest.mark.parametrize("state", ["closed", "referred"])
def test_a_final_case_stays_where_it_was_left(client, people, elsewhere, make_case, both,
                                              login, state):
    case = make_case(state)
    login(both)
    assert _move(client, case, elsewhere.commune).status_code == 403
    assert case.commune_id == people.commune.id


def test_the_case_passes_to_the_new_communes_people(client, app, people, elsewhere,
                                                    make_case, both, login):
    case = make_case("proposed")
    old = case.reference
    proposal = case.pending_proposal
    step = case.steps[0]
    login(both)
    response = _move(client, case, elsewhere.commune)
    assert response.status_code == 302
    db.session.refresh(case)
    year = case.year
    assert case.reference == f"{elsewhere.commune.code}-{year}-0001"
    assert not case.team and proposal.status == "cancelled"
    assert {e.commune_id for e in case.state_entries} == {elsewhere.commune.id}
    months = {m.commune_id: m.women for m in db.session.scalars(select(ParticipationMonth))}
    assert months == {people.commune.id: 0, elsewhere.commune.id: step.women}
    assert db.session.scalar(select(FormerReference.reference)
                             .where(FormerReference.case_id == case.id)) == old
    assert database_problems(db.session) == []
    # The history tells it, in French.
    page = text(client.get(f"/cases/{case.reference}"))
    assert (f"a transféré le dossier de {people.commune.code} à {elsewhere.commune.code} : "
            f"{old} devient {case.reference}") in page
    assert "Signalé dans la mauvaise commune." in page
    # The old reference leads to the new one, for whoever sees the case there.
    for user in (both, elsewhere.mediator, elsewhere.mayor):
        answer = login(user, app.test_client()).get(f"/cases/{old}")
        assert answer.status_code == 302
        assert answer.headers["Location"].endswith(f"/cases/{case.reference}")
    # The old commune's mediators and authorities lose sight of it, by either reference.
    for user in (people.mediator, people.mayor, people.chief, people.coordinator):
        reader = login(user, app.test_client())
        assert reader.get(f"/cases/{old}").status_code == 404
        assert reader.get(f"/cases/{case.reference}").status_code == 404
        assert case.reference not in reader.get("/cases").get_data(as_text=True)


def test_the_old_communes_plans_stop_supporting_it(client, people, elsewhere, make_case,
                                                   make_mechanism, both, login):
    case = make_case("in_mediation")
    stage = make_mechanism()
    stage.plan.cases.append(case)
    db.session.commit()
    login(both)
    assert _move(client, case, elsewhere.commune).status_code == 302
    db.session.expire_all()
    assert stage.plan.cases == []


def test_a_moved_cases_number_is_not_given_again(client, people, elsewhere, make_case, both,
                                                 login):
    case = make_case("reported")
    old = case.reference
    login(both)
    assert _move(client, case, elsewhere.commune).status_code == 302
    again = cases.report_case(people.mediator, people.commune, case_input())
    db.session.commit()
    assert again.reference != old and again.sequence == int(old[-4:]) + 1


def test_a_commune_is_chosen_and_a_reason_given(client, people, elsewhere, make_case, both,
                                                login):
    case = make_case("reported")
    login(both)
    page = client.get(f"/cases/{case.reference}/commune").get_data(as_text=True)
    assert f'<option value="{elsewhere.commune.id}">' in page
    assert f'<option value="{people.commune.id}">' not in page
    assert _move(client, case, elsewhere.commune, reason="").status_code == 400
    assert _move(client, case, people.commune).status_code == 400
    assert case.commune_id == people.commune.id
    assert db.session.scalar(select(CaseStateEntry.commune_id)) == people.commune.id


def test_a_form_sent_to_the_former_reference_follows_the_case(app, client, people, elsewhere,
                                                              make_case, both, login):
    """A form opened before the move and sent after it: redirected with its method and body
    (308); the version it carries is the case's own, so its check still tells that the case
    changed meanwhile, and the page keeps what was typed."""
    case = make_case("in_mediation")
    old, version = case.reference, case.version
    login(both)
    assert _move(client, case, elsewhere.commune).status_code == 302
    db.session.refresh(case)
    step = {"version": version, "step_date": typed(0), "kind": "joint_session",
            "place": "Mairie", "summary": "Les deux familles entendues.", "women": "1",
            "men": "1", "young_women": "0", "young_men": "0"}
    sent = client.post(f"/cases/{old}/steps/new", data=step)
    assert sent.status_code == 308
    assert sent.headers["Location"].endswith(f"/cases/{case.reference}/steps/new")
    followed = client.post(sent.headers["Location"], data=step)  # as the browser sends it again
    assert followed.status_code == 409
    assert "Les deux familles entendues." in text(followed)
