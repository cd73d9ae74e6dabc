"""Sign-in throttling: six failures in fifteen minutes close a name for fifteen minutes, even
for the right password, with the same answer whether the name exists or not."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from casework.errors import SignInThrottled
from casework.extensions import db
from casework.models import Event, clock_at
from casework.services import accounts

from tests.factories import PASSWORD

from .pages import text

T0 = datetime(2026, 11, 2, 8, 0, tzinfo=timezone.utc)


def fail(username, times, *, start=T0, address="10.0.0.1", every=timedelta(minutes=1)):
    for n in range(times):
        with clock_at(start + n * every):
            assert accounts.authenticate(username, "not the password", address) is None
            db.session.flush()  # the event's time is taken when it is written
    db.session.commit()


def attempt(username, password, at, address="10.0.0.1"):
    with clock_at(at):
        return accounts.authenticate(username, password, address)


def test_six_failures_close_the_name_even_for_the_right_password(people):
    name = people.mediator.username
    fail(name, 6)
    with pytest.raises(SignInThrottled):
        attempt(name, PASSWORD, T0 + timedelta(minutes=10))
    with pytest.raises(SignInThrottled):  # fifteen minutes after the sixth failure, not before
        attempt(name, PASSWORD, T0 + timedelta(minutes=19))
    assert attempt(name, PASSWORD, T0 + timedelta(minutes=21)) == people.mediator


def test_five_failures_or_failures_spread_out_do_not(people):
    name = people.mediator.username
    fail(name, 5)
    assert attempt(name, PASSWORD, T0 + timedelta(minutes=6)) == people.mediator
    fail(name, 6, start=T0 + timedelta(hours=1), every=timedelta(minutes=4))  # over 20 min
    assert attempt(name, PASSWORD, T0 + timedelta(hours=1, minutes=21)) == people.mediator


def test_an_unknown_name_is_closed_the_same_way(people):
    fail("personne.inconnue", 6)
    with pytest.raises(SignInThrottled) as unknown:
        attempt("personne.inconnue", "x", T0 + timedelta(minutes=7))
    fail(people.mayor.username, 6)
    with pytest.raises(SignInThrottled) as known:
        attempt(people.mayor.username, PASSWORD, T0 + timedelta(minutes=7))
    assert str(unknown.value) == str(known.value)


def test_other_names_and_addresses_are_not_held_up(people):
    fail(people.mediator.username, 6)
    assert attempt(people.mayor.username, PASSWORD, T0 + timedelta(minutes=7)) == people.mayor


def test_one_address_trying_many_names_is_closed(app, people):
    limit = app.config["LOGIN_MAX_FAILURES_PER_ADDRESS"]
    for n in range(limit):
        fail(f"essai{n}", 1, start=T0 + timedelta(seconds=10 * n), address="10.9.9.9")
    with pytest.raises(SignInThrottled):
        attempt(people.chief.username, PASSWORD, T0 + timedelta(minutes=6), address="10.9.9.9")
    assert attempt(people.chief.username, PASSWORD, T0 + timedelta(minutes=6),
                   address="10.1.1.1") == people.chief


def test_the_sign_in_page_says_to_wait_and_logs_it(client, people):
    for _ in range(6):
        client.post("/login", data={"username": people.mediator.username, "password": "non"})
    response = client.post("/login", data={"username": people.mediator.username,
                                           "password": PASSWORD})
    assert response.status_code == 429
    assert "attendez 15 minutes" in text(response)
    assert db.session.scalar(select(Event).where(Event.kind == "auth.login_throttled"))
