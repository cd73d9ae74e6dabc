"""Whoever is taken off a case's team is told, on every channel they can be reached on, with
the case's reference and nothing of its parties or facts; the change itself is an event."""
import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Event, Notification
from casework.services import team

from .conftest import SECRET_FACTS, SECRET_NAMES, SECRET_REPORTER, reach

SECRETS = (*SECRET_NAMES, SECRET_REPORTER, SECRET_FACTS, "Zoumanabélé", "Ouattarakoumba")


@pytest.mark.parametrize("language", ["fr", "en"])
@pytest.mark.parametrize("confidential", [False, True])
def test_the_mediator_taken_off_the_team_is_told_without_a_name(
        app, people, make_user, secret_case, monkeypatch, language, confidential):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", "http://127.0.0.1:9/v1/sms")
    values = {"conflict_type": "gbv"} if confidential else {}
    case = secret_case("reported", **values)
    team.assign_team(people.coordinator, case, [people.mediator.id])
    db.session.commit()
    reach(people.mediator)
    people.mediator.language = language
    newcomer = reach(make_user((people.commune, "mediator")))
    db.session.commit()

    team.assign_team(people.coordinator, case, [newcomer.id])
    db.session.commit()

    rows = list(db.session.scalars(select(Notification).where(
        Notification.kind == "removed_from_team")))
    assert {(r.user_id, r.channel) for r in rows} == {(people.mediator.id, "email"),
                                                      (people.mediator.id, "sms")}
    for row in rows:
        assert row.case_id == case.id and row.status == "pending"
        assert case.reference in row.body
        said = f"{row.subject}\n{row.body}".lower()
        assert not [s for s in SECRETS if s.lower() in said], row.body
    email = next(r for r in rows if r.channel == "email")
    expected = "n'êtes plus" if language == "fr" else "no longer"
    assert expected in email.body
    event = db.session.scalar(select(Event).where(Event.kind == "case.team_assigned",
                                                  Event.actor_id == people.coordinator.id)
                              .order_by(Event.id.desc()))
    assert event.data["removed"] == [people.mediator.id]
    assert event.data["added"] == [newcomer.id]


def test_no_one_is_told_when_no_one_is_removed(app, people, make_user, secret_case,
                                                monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    case = secret_case("reported")
    reach(people.mediator)
    team.assign_team(people.mediator, case, [people.mediator.id])
    team.assign_team(people.mediator, case,
                     [people.mediator.id, make_user((people.commune, "mediator")).id])
    db.session.commit()
    assert db.session.scalars(select(Notification)).all() == []


def test_someone_unreachable_is_told_in_the_app_only(app, people, make_user, secret_case,
                                                     monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    case = secret_case("reported")
    team.assign_team(people.mediator, case, [people.mediator.id])
    team.assign_team(people.coordinator, case, [make_user((people.commune, "mediator")).id])
    db.session.commit()
    assert db.session.scalars(select(Notification)).all() == []
