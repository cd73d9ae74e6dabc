"""Fields a form does not declare change nothing: a commune, a state, a role, a version or an
administrator flag slipped into a request is ignored."""
from sqlalchemy import select

from casework.extensions import db
from casework.models import Case, Event

from .pages import submit
from .test_lifecycle import intake

SMUGGLED = {"status": "closed", "workflow_version": "99", "version": "7", "confidential": "y",
            "created_by_id": "1", "role": "coordinator", "is_admin": "y", "reference": "XX-1"}


def test_a_report_takes_only_what_the_form_declares(client, login, people):
    login(people.mediator)
    response = submit(client, "/cases/new", {**intake(people.commune), **SMUGGLED})
    assert response.status_code == 302
    case = db.session.scalars(select(Case)).one()
    assert (case.status, case.workflow_version, case.confidential) == ("reported", 2, False)
    assert case.created_by_id == people.mediator.id and case.reference != "XX-1"


def test_a_report_into_another_commune_is_refused(client, login, people, elsewhere):
    login(people.mediator)
    response = submit(client, "/cases/new", intake(elsewhere.commune))
    assert response.status_code == 400
    assert db.session.scalar(select(Case)) is None


def test_a_transition_moves_only_where_the_workflow_says(client, login, people, make_case):
    case = make_case("in_mediation")
    login(people.mediator)
    # `version` is the form's own optimistic lock (a stale one is a 409, tested elsewhere).
    extra = {k: v for k, v in SMUGGLED.items() if k != "version"}
    response = submit(client, f"/cases/{case.reference}/actions/refer",
                      {"referral_target": "cofo", **extra})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.status == "referred"


def test_a_user_cannot_make_themself_an_administrator(client, login, people):
    login(people.mediator)
    for path in ("/account/password", "/account/language"):
        client.post(path, data={"language": "fr", "current_password": "x", **SMUGGLED})
    db.session.refresh(people.mediator)
    assert not people.mediator.is_admin
    roles = {(m.commune_id, m.role) for m in people.mediator.memberships}
    assert roles == {(people.commune.id, "mediator")}
    assert db.session.scalar(select(Event).where(Event.kind.like("admin.%"),
                                                 Event.actor_id == people.mediator.id)) is None
