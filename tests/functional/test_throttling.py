"""Sign-in throttling slows a guesser down, and nobody can use it to lock someone out: waits
grow per name and address, an address trying many names holds back only the names that do not
sign in from it, and the answer is the same whether the name exists or not."""
import logging
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from casework.clock import clock_at
from casework.errors import SignInThrottled
from casework.extensions import db
from casework.models import Event
from casework.services import accounts, two_factor
from tests.factories import PASSWORD

from .pages import text

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)
STRANGER, TOWN_HALL = "10.6.6.6", "10.1.1.1"


def fail(username, times, *, start=T0, address=STRANGER, every=timedelta(seconds=10)):
    for n in range(times):
        with clock_at(start + n * every):
            assert accounts.authenticate(username, "not the password", address) is None
            db.session.flush()  # the event's time is taken when it is written
    db.session.commit()


def attempt(username, password, at, address=STRANGER):
    with clock_at(at):
        user = accounts.authenticate(username, password, address)
        db.session.commit()
        return user


def refused(username, password, at, address=STRANGER) -> SignInThrottled:
    with pytest.raises(SignInThrottled) as raised:
        attempt(username, password, at, address)
    db.session.rollback()
    return raised.value


def test_six_failures_make_that_name_wait_at_that_address_a_minute_then_longer(people):
    name, last = people.mediator.username, T0 + timedelta(seconds=50)
    fail(name, 5)
    assert attempt(name, PASSWORD, T0 + timedelta(seconds=51)) == people.mediator
    fail(name, 6, start=T0 + timedelta(minutes=1))  # a sign-in forgot the five before
    last = T0 + timedelta(minutes=1, seconds=50)
    wait = refused(name, PASSWORD, last + timedelta(seconds=30))
    assert wait.retry_after == 30 and "1 min" in str(wait)
    fail(name, 1, start=last + timedelta(seconds=61))  # the 7th: two minutes now
    last += timedelta(seconds=61)
    assert refused(name, PASSWORD, last + timedelta(seconds=119)).retry_after == 1
    assert attempt(name, PASSWORD, last + timedelta(seconds=121)) == people.mediator


def test_the_wait_grows_to_the_window_and_no_further(app, people):
    name = people.mediator.username
    fail(name, 5)
    at, waits = T0 + timedelta(minutes=1), []
    for _ in range(10):  # the 6th failure to the 15th
        fail(name, 1, start=at)
        waits.append(refused(name, PASSWORD, at + timedelta(seconds=1)).retry_after + 1)
        at += timedelta(seconds=waits[-1])
    assert waits == [60, 120, 240, 480, 900, 900, 900, 900, 900, 900]
    assert attempt(name, PASSWORD, at) == people.mediator


def hammer(username, times, address=STRANGER):
    """`times` wrong passwords, one a second, whether or not they are still looked at."""
    for n in range(times):
        try:
            attempt(username, "not the password", T0 + timedelta(seconds=n), address)
        except SignInThrottled:
            db.session.commit()  # the refusal is an event too


def test_nobody_locks_the_coordination_out_from_elsewhere(people, make_user):
    """Sixty wrong passwords typed for `admin` and the coordinator elsewhere: each signs in
    from their own phone at once."""
    admin = make_user(is_admin=True, username="admin")
    for user in (admin, people.coordinator):
        hammer(user.username, 60)
        assert attempt(user.username, PASSWORD, T0 + timedelta(seconds=60),
                       address=TOWN_HALL) == user
        refused(user.username, PASSWORD, T0 + timedelta(seconds=60))  # the stranger waits


def test_an_unknown_name_waits_the_same_way_and_is_told_the_same(people):
    fail("personne.inconnue", 6)
    unknown = refused("personne.inconnue", "x", T0 + timedelta(minutes=1))
    fail(people.mayor.username, 6)
    known = refused(people.mayor.username, PASSWORD, T0 + timedelta(minutes=1))
    assert (str(unknown), unknown.retry_after) == (str(known), known.retry_after)


def test_an_address_trying_many_names_holds_back_only_the_names_unknown_there(app, people):
    """Thirty made-up names from one address (behind a proxy left at 0, everyone's): those who
    signed in from it lately go on signing in; a name never seen there waits."""
    attempt(people.chief.username, PASSWORD, T0 - timedelta(days=3), address=TOWN_HALL)
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(limit):
        fail(f"essai{n}", 1, start=T0 + timedelta(seconds=10 * n), address=TOWN_HALL)
    later = T0 + timedelta(minutes=6)
    assert attempt(people.chief.username, PASSWORD, later, address=TOWN_HALL) == people.chief
    wait = refused(people.mayor.username, PASSWORD, later, address=TOWN_HALL)
    assert timedelta(seconds=wait.retry_after) == T0 + timedelta(minutes=15) - later
    assert attempt(people.mayor.username, PASSWORD, later, address="10.2.2.2") == people.mayor
    assert attempt(people.mayor.username, PASSWORD, T0 + timedelta(minutes=15, seconds=1),
                   address=TOWN_HALL) == people.mayor


def test_wrong_codes_close_the_code_step_of_that_name_everywhere(people):
    """Whoever types codes knows the password: the codes' limit is the name's, not the pair's."""
    coordinator = people.coordinator
    with clock_at(T0):
        for n in range(6):
            assert two_factor.verify(coordinator, "000000", f"10.7.7.{n}") is None
        db.session.commit()
        with pytest.raises(SignInThrottled):
            two_factor.verify(coordinator, "000000", TOWN_HALL)
    db.session.rollback()
    assert attempt(coordinator.username, PASSWORD, T0, address=TOWN_HALL) == coordinator


def test_the_sign_in_page_says_how_long_to_wait_and_logs_it(client, people):
    for _ in range(6):
        client.post("/login", data={"username": people.mediator.username, "password": "non"})
    response = client.post("/login", data={"username": people.mediator.username,
                                           "password": PASSWORD})
    assert response.status_code == 429
    assert "réessayez dans 1 min" in text(response)
    assert db.session.scalar(select(Event).where(Event.kind == "auth.login_throttled"))


def test_a_forwarded_for_header_ignored_is_said_once_in_the_log(app, client, caplog):
    app.extensions["palabre.forwarded_for_warned"] = False
    with caplog.at_level(logging.WARNING, logger="casework.proxies"):
        client.get("/login")
        for _ in range(3):
            client.get("/login", headers={"X-Forwarded-For": "203.0.113.9"})
    warnings = [r.getMessage() for r in caplog.records if r.name == "casework.proxies"]
    assert len(warnings) == 1 and "PALABRE_TRUSTED_PROXIES" in warnings[0]
