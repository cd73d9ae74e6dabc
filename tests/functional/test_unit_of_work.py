"""One commit point per request and command: an operation is all or nothing. A service that
fails after writing leaves nothing, whether it refuses, breaks or collides at the commit."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from casework.errors import NotPermitted
from casework.extensions import db
from casework.models import Event, MediationStep, User
from casework.services import accounts, steps
from tests.dates import typed
from tests.factories import step_input

from .pages import text


def _count(model, *where) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


@pytest.fixture
def failing_after_writing(monkeypatch):
    """steps.log_step writes the step and its event, then raises `error`."""
    def install(error: Exception):
        real = steps.log_step

        def log_step(*args, **kwargs):
            real(*args, **kwargs)
            db.session.flush()
            raise error
        monkeypatch.setattr(steps, "log_step", log_step)
    return install


def _step_form(case):
    data = step_input()
    return {"version": case.version, "step_date": typed(0),
            "kind": data.kind, "place": data.place, "summary": data.summary,
            "women": data.women, "men": data.men, "young_women": 0, "young_men": 0}


@pytest.mark.parametrize("error, status", [
    (NotPermitted("refused after writing"), 403), (RuntimeError("broken after writing"), 500)])
def test_a_page_whose_service_fails_after_writing_leaves_nothing(
        app, people, make_case, login, monkeypatch, failing_after_writing, error, status):
    monkeypatch.setitem(app.config, "RENDER_UNEXPECTED_ERRORS", True)
    case = make_case("in_mediation")
    events_before = _count(Event)
    failing_after_writing(error)
    client = login(people.mediator, app.test_client())
    response = client.post(f"/cases/{case.reference}/steps/new", data=_step_form(case))
    assert response.status_code == status
    assert _count(MediationStep, MediationStep.case_id == case.id) == 0
    assert _count(Event) == events_before
    db.session.refresh(case)
    assert case.status == "in_mediation"


def test_an_api_call_whose_service_fails_after_writing_leaves_nothing(
        people, make_case, grant, client, failing_after_writing):
    case = make_case("in_mediation")
    events_before = _count(Event)
    failing_after_writing(NotPermitted("refused after writing"))
    data = step_input()
    response = client.post(f"/api/v1/cases/{case.reference}/steps", json={
        "version": case.version, "step_date": data.step_date.isoformat(), "kind": data.kind,
        "place": data.place, "summary": data.summary, "women": 1},
        headers={"Authorization": f"Bearer {grant(people.mediator)}"})
    assert response.status_code == 403
    assert _count(MediationStep, MediationStep.case_id == case.id) == 0
    assert _count(Event) == events_before


def test_a_collision_found_at_the_commit_is_a_409_and_leaves_nothing(
        app, people, make_case, login, monkeypatch):
    case = make_case("in_mediation")

    def collide():
        db.session.rollback()
        raise StaleDataError("a concurrent change")
    client = login(people.mediator, app.test_client())
    monkeypatch.setattr(db.session, "commit", collide)
    response = client.post(f"/cases/{case.reference}/steps/new", data=_step_form(case))
    monkeypatch.undo()
    assert response.status_code == 409
    assert "au même moment" in text(response) or "same moment" in text(response)
    assert _count(MediationStep, MediationStep.case_id == case.id) == 0


def test_a_success_is_committed_once_at_the_end(app, people, make_case, login, monkeypatch):
    case = make_case("in_mediation")
    commits = []
    real = db.session.commit
    client = login(people.mediator, app.test_client())
    monkeypatch.setattr(db.session, "commit", lambda: (commits.append(1), real())[1])
    response = client.post(f"/cases/{case.reference}/steps/new", data=_step_form(case))
    monkeypatch.undo()
    assert response.status_code == 302
    assert commits == [1]
    assert _count(MediationStep, MediationStep.case_id == case.id) == 1


def test_a_command_that_fails_half_way_leaves_nothing(app, make_user, monkeypatch):
    demo = [make_user(is_demo=True) for _ in range(3)]
    real = accounts.set_active
    done = []

    def set_active(actor, user, active):
        real(actor, user, active)
        done.append(user)
        if len(done) == 2:
            raise RuntimeError("the disk is full")
    monkeypatch.setattr(accounts, "set_active", set_active)
    result = app.test_cli_runner().invoke(args=["disable-demo-accounts"])
    assert isinstance(result.exception, RuntimeError)
    db.session.expire_all()
    assert _count(User, User.id.in_([u.id for u in demo]), User.active.is_(True)) == 3
