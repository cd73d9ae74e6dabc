"""collect(): who is told of what waits, once per reason and channel, on the channels they have."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.clock import utcnow
from casework.extensions import db
from casework.models import Notification
from casework.services import signoffs
from casework.services.notifications import collect

from .conftest import reach

ROLES = ("mediator", "mayor", "chief", "coordinator")

# kind, how the case is made (state, days ago), who is told by message.
TOLD = [
    ("signoff_awaited", ("proposed", 0), {"mayor", "chief"}),
    ("follow_up_due", ("resolved", 28), {"mediator"}),  # the 30-day visit is due in 2 days
    ("follow_up_due", ("resolved", 30), {"mediator"}),  # due today
    ("follow_up_due", ("resolved", 45), {"mediator"}),  # late
    ("past_time_limit", ("in_mediation", 70), {"mediator", "coordinator"}),  # sla_days 60
    ("past_time_limit", ("reported", 20), {"mediator", "coordinator"}),  # sla_days 15
]
NOT_YET = [("resolved", 26), ("in_mediation", 50), ("reported", 10), ("closed", 200),
           ("referred", 100)]


def told(people, kind=None):
    by_id = {getattr(people, role).id: role for role in ROLES}
    rows = db.session.scalars(select(Notification))
    return {(by_id.get(r.user_id, r.user_id), r.channel) for r in rows
            if kind is None or r.kind == kind}


@pytest.mark.parametrize("kind, made, who", TOLD)
def test_each_kind_reaches_the_people_it_waits_for(reachable, secret_case, smtp_server,
                                                   sms_gateway, kind, made, who):
    case = secret_case(made[0], days_ago=made[1])
    rows = collect(utcnow())
    db.session.commit()
    assert {r.case_id for r in rows} == {case.id}
    assert told(reachable, kind) == {(role, channel) for role in who
                                     for channel in ("email", "sms")}
    assert told(reachable) == told(reachable, kind)  # nothing of another kind


@pytest.mark.parametrize("made", NOT_YET)
def test_nothing_is_sent_before_it_waits(reachable, secret_case, smtp_server, sms_gateway,
                                         made):
    secret_case(made[0], days_ago=made[1])
    assert collect(utcnow()) == []


def test_another_communes_people_are_never_told(reachable, elsewhere, secret_case, smtp_server):
    for user in (elsewhere.mediator, elsewhere.mayor, elsewhere.chief, elsewhere.coordinator):
        reach(user)
    secret_case("proposed")
    secret_case("in_mediation", days_ago=70)
    rows = collect(utcnow())
    outsiders = {u.id for u in (elsewhere.mediator, elsewhere.mayor, elsewhere.chief,
                                elsewhere.coordinator)}
    assert rows and not {r.user_id for r in rows} & outsiders


def test_a_signature_stops_the_messages_to_the_one_who_signed(reachable, secret_case,
                                                              smtp_server):
    case = secret_case("proposed")
    signoffs.sign_off(reachable.mayor, case.pending_proposal, "approve", "Bon accord.")
    db.session.commit()
    collect(utcnow())
    assert told(reachable) == {("chief", "email")}


def test_collecting_twice_writes_each_message_once(reachable, secret_case, smtp_server,
                                                   sms_gateway):
    secret_case("proposed")
    secret_case("in_mediation", days_ago=70)
    first = collect(utcnow())
    db.session.commit()
    assert len(first) == 8  # (mayor, chief) + (mediator, coordinator), by e-mail and SMS
    assert collect(utcnow()) == []
    assert collect(utcnow() + timedelta(hours=6)) == []
    assert db.session.scalar(select(db.func.count()).select_from(Notification)) == 8


def test_a_new_proposal_is_a_new_reason(reachable, secret_case, smtp_server):
    case = secret_case("proposed")
    collect(utcnow())
    signoffs.sign_off(reachable.mayor, case.pending_proposal, "reject", "Pas équitable.")
    from casework.services import transitions
    from casework.services.transitions import TransitionInput
    transitions.fire(reachable.mediator, case, "resolve",
                     TransitionInput(agreement_text="Le puits est partagé."))
    db.session.commit()
    again = collect(utcnow())
    assert {(r.user_id, r.channel) for r in again} == {
        (reachable.mayor.id, "email"), (reachable.chief.id, "email")}


@pytest.mark.parametrize("email, phone, gateway, channels", [
    (True, True, True, {"email", "sms"}),
    (True, True, False, {"email"}),
    (False, True, True, {"sms"}),
    (True, False, True, {"email"}),
    (False, False, True, set()),
])
def test_only_the_channels_a_person_has(people, secret_case, smtp_server, app, monkeypatch,
                                        email, phone, gateway, channels):
    reach(people.mayor, email=email, phone=phone)
    reach(people.chief, email=True, phone=False)
    if gateway:
        monkeypatch.setitem(app.config, "SMS_GATEWAY_URL", "http://127.0.0.1:9/v1/sms")
    secret_case("proposed")
    rows = collect(utcnow())
    assert {r.channel for r in rows if r.user_id == people.mayor.id} == channels


def test_nothing_is_written_when_no_channel_is_configured(reachable, secret_case, no_channels):
    secret_case("proposed")
    assert collect(utcnow()) == []


def test_disabled_people_are_not_told(reachable, secret_case, smtp_server):
    from casework.services import accounts
    accounts.set_active(None, reachable.mayor, False)
    db.session.commit()
    secret_case("proposed")
    assert told_ids(collect(utcnow())) == {reachable.chief.id}


def told_ids(rows):
    return {r.user_id for r in rows}
