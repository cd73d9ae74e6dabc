"""Nothing is lost or overwritten: stale forms get 409 with what was typed, the event log is
append-only down to the database, and every change leaves its event."""
import pytest
from sqlalchemy import select
from sqlalchemy import text as sql

from casework.clock import local_today
from casework.extensions import db
from casework.models import AppendOnlyError, Event
from casework.services import steps
from tests.factories import advance, step_input
from tests.invariants import database_problems, trail_problems

from .pages import hidden_fields, text


def test_a_form_opened_on_an_old_version_gets_409_and_keeps_what_was_typed(
        app, people, make_case, login):
    case = make_case("in_mediation")
    client = login(people.mediator, app.test_client())
    url = f"/cases/{case.reference}/steps/new"
    opened = hidden_fields(client.get(url).get_data(as_text=True))
    steps.log_step(people.coordinator, case, step_input(summary="Pris par la coordination."))
    db.session.commit()  # someone else changed the case meanwhile

    typed = {"step_date": local_today().isoformat(), "kind": "field_visit", "place": "Le puits",
             "women": "2", "men": "1", "young_women": "0", "young_men": "0",
             "summary": "Visite du puits avec les deux familles ; tension apaisée."}
    response = client.post(url, data={**opened, **typed})
    assert response.status_code == 409
    page = text(response)
    assert "a été modifié par quelqu'un d'autre" in page
    assert "Visite du puits avec les deux familles ; tension apaisée." in page
    assert 'value="Le puits"' in page
    db.session.refresh(case)
    assert [s.summary for s in case.steps] == ["Pris par la coordination."]

    # Sent again knowingly, the form now carries the current version and goes through.
    again = client.post(url, data={**hidden_fields(response.get_data(as_text=True)), **typed})
    assert again.status_code == 302
    db.session.refresh(case)
    assert len(case.steps) == 2


def test_a_double_click_on_a_transition_has_one_effect(app, people, make_case, login):
    case = make_case("reported")
    advance(people, case, "assign")
    db.session.commit()
    client = login(people.mediator, app.test_client())
    url = f"/cases/{case.reference}/actions/start_mediation"
    form = hidden_fields(client.get(url).get_data(as_text=True))
    first, second = client.post(url, data=form), client.post(url, data=form)
    assert (first.status_code, second.status_code) == (302, 409)
    transitions = db.session.scalars(select(Event).where(
        Event.case_id == case.id, Event.kind == "case.transition")).all()
    assert len(transitions) == 1


def test_events_cannot_be_changed_or_deleted_through_the_orm(make_case):
    case = make_case()
    event = db.session.scalar(select(Event).where(Event.case_id == case.id))
    event.kind = "case.forged"
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(Event, event.id))
    with pytest.raises(AppendOnlyError):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize("statement", [
    "UPDATE events SET kind = 'case.forged'", "DELETE FROM events"])
def test_events_cannot_be_changed_or_deleted_in_the_database(make_case, statement):
    make_case()
    savepoint = db.session.begin_nested()
    with pytest.raises(Exception, match="append-only"):
        db.session.execute(sql(statement))
    savepoint.rollback()
    assert db.session.scalar(select(Event).where(Event.kind == "case.forged")) is None


def test_every_change_is_an_event_with_its_details(people, make_case):
    case = make_case("closed")
    by_kind = {}
    for event in db.session.scalars(select(Event).where(Event.case_id == case.id)
                                    .order_by(Event.id)):
        by_kind.setdefault(event.kind, []).append(event)
    assert by_kind["case.reported"][0].data["reference"] == case.reference
    assert by_kind["case.team_assigned"][0].data["team"] == [people.mediator.id]
    assert by_kind["case.step_logged"][0].data["women"] == 3
    assert {e.data["role"] for e in by_kind["case.signed_off"]} == {
        "commune_authority", "traditional_leader"}
    assert {e.actor_id for e in by_kind["case.signed_off"]} == {people.mayor.id, people.chief.id}
    assert trail_problems(db.session, case) == []
    assert [e.data["to_state"] for e in by_kind["case.transition"]] == [
        "in_mediation", "resolved", "followed_up", "closed"]


def test_the_invariant_checks_see_a_status_its_trail_does_not_explain(make_case):
    case = make_case("proposed")
    assert database_problems(db.session) == []
    case.status = "resolved"  # moved without its event, its proposal still waiting
    db.session.flush()
    problems = database_problems(db.session)
    version = case.workflow_version  # land v1 (a land case), or mediation v2
    assert (f"{case.reference}: status resolved v{version}, trail replays to in_mediation "
            f"v{version}") in problems
    assert any("cannot still wait" in problem for problem in problems)


def test_a_write_colliding_inside_a_service_is_a_409_with_the_form_kept(
        app, people, make_case, login, monkeypatch):
    case = make_case("in_mediation")
    log_step = steps.log_step

    def meanwhile(actor, target, data, *, version=None):
        # Another server changes the row after this request loaded it; the service's own
        # flush then matches no row (StaleDataError) before any commit.
        db.session.execute(sql("UPDATE cases SET version = version + 1 WHERE id = :id"),
                           {"id": target.id})
        return log_step(actor, target, data, version=version)

    monkeypatch.setattr(steps, "log_step", meanwhile)
    client = login(people.mediator, app.test_client())
    url = f"/cases/{case.reference}/steps/new"
    response = client.post(url, data={
        **hidden_fields(client.get(url).get_data(as_text=True)),
        "step_date": local_today().isoformat(), "kind": "field_visit", "place": "Le puits",
        "women": "1", "men": "1", "young_women": "0", "young_men": "0",
        "summary": "Visite au puits."})
    assert response.status_code == 409
    assert "Quelqu'un d'autre a modifié la même chose au même moment." in text(response)
    assert "Visite au puits." in text(response)
    db.session.refresh(case)
    assert case.steps == []
