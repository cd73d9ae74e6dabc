"""Bearer tokens: issued for a password (and the code where two-factor is on), stored hashed,
expiring, revocable, ended by new credentials, throttled like the sign-in page; the session
cookie opens nothing in the API."""
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from casework.clock import clock_at, utcnow
from casework.extensions import db
from casework.models import ApiToken, Event
from casework.services import accounts, api_tokens, two_factor
from tests.factories import PASSWORD, TOTP_SECRET

from .conftest import PROBLEM, Caller

TOKENS = "/api/v1/tokens"
CASES = "/api/v1/cases"


def ask(client, username, password=PASSWORD, **extra):
    return client.post(TOKENS, json={"username": username, "password": password, **extra})


def code_now() -> str:
    return two_factor.code_at(TOTP_SECRET, two_factor.time_step())


def kinds(user) -> list[str]:
    return list(db.session.scalars(select(Event.kind).where(Event.actor_id == user.id)
                                   .order_by(Event.id)))


def test_a_token_is_issued_once_and_only_its_hash_is_kept(client, people):
    response = ask(client, people.mediator.username, name="tablette de l'équipe")
    assert response.status_code == 201
    body = response.get_json()
    token = body["token"]
    assert len(token) >= 43 and body["name"] == "tablette de l'équipe"
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(days=29) < expires - utcnow() <= timedelta(days=30)
    row = db.session.scalar(select(ApiToken).where(ApiToken.user_id == people.mediator.id))
    assert row.token_hash == api_tokens.hash_token(token) != token
    stored = db.session.execute(select(ApiToken.__table__)).all()
    assert all(token not in str(value) for line in stored for value in line)
    assert "auth.token_issued" in kinds(people.mediator)
    assert all(token not in str(e.data) for e in db.session.scalars(select(Event)))
    assert Caller(client, token).get(CASES).status_code == 200
    assert db.session.get(ApiToken, row.id).last_used_at is not None


@pytest.mark.parametrize("username, password", [
    ("nobody.here", PASSWORD), (None, "wrong password")])
def test_wrong_credentials_are_a_401_problem_and_a_counted_failure(client, people, username,
                                                                  password):
    response = ask(client, username or people.mayor.username, password)
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert response.get_json()["detail"] == "Nom d'utilisateur ou mot de passe incorrect."
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    failures = db.session.scalars(select(Event).where(Event.kind == "auth.login_failed"))
    assert len(list(failures)) == 1
    assert db.session.scalar(select(ApiToken)) is None


def test_a_disabled_account_gets_no_token(client, people):
    accounts.set_active(None, people.mayor, False)
    db.session.commit()
    assert ask(client, people.mayor.username).status_code == 401


def test_two_factor_asks_for_the_code_and_refuses_a_wrong_one(client, people):
    name = people.coordinator.username
    missing = ask(client, name)
    assert missing.status_code == 401 and "code" in missing.get_json()["detail"]
    wrong = ask(client, name, code="000000" if code_now() != "000000" else "111111")
    assert wrong.status_code == 401
    assert "auth.mfa_failed" in kinds(people.coordinator)
    right = ask(client, name, code=code_now())
    assert right.status_code == 201
    assert Caller(client, right.get_json()["token"]).get(CASES).status_code == 200
    assert ask(client, name, code=code_now()).status_code == 401  # never the same code twice


def test_a_recovery_code_stands_in_for_the_app(client, people):
    recovery = people.coordinator.recovery_codes_given[0]
    assert ask(client, people.coordinator.username, code=recovery).status_code == 201
    assert ask(client, people.coordinator.username, code=recovery).status_code == 401


def test_who_must_change_their_password_or_set_up_two_factor_gets_no_token(client, make_user,
                                                                          people):
    changing = make_user((people.commune, "mediator"), must_change_password=True)
    response = ask(client, changing.username)
    assert response.status_code == 403 and "mot de passe" in response.get_json()["detail"]
    unenrolled = make_user((people.commune, "coordinator"), enrolled=False)
    response = ask(client, unenrolled.username)
    assert response.status_code == 403 and "deux facteurs" in response.get_json()["detail"]
    assert db.session.scalar(select(ApiToken)) is None


def test_six_failures_make_the_name_wait_at_that_address_with_a_429(client, people):
    name = people.mediator.username
    for _ in range(6):
        assert ask(client, name, "wrong password").status_code == 401
    refused = ask(client, name)  # even the right password, for a minute
    assert refused.status_code == 429 and refused.mimetype == PROBLEM
    assert 55 <= int(refused.headers["Retry-After"]) <= 60
    assert "réessayez dans 1 min" in refused.get_json()["detail"]
    assert refused.get_json()["title"] == "Trop de tentatives"
    assert db.session.scalar(select(ApiToken)) is None


def test_wrong_codes_count_toward_the_same_six_failures(client, people):
    name = people.coordinator.username
    wrong = "000000" if code_now() != "000000" else "111111"
    for _ in range(6):
        assert ask(client, name, code=wrong).status_code == 401
    assert ask(client, name, code=code_now()).status_code == 429


def test_a_token_expires_after_api_token_days(client, people):
    token = ask(client, people.mediator.username).get_json()["token"]
    now = utcnow()
    with clock_at(now + timedelta(days=29, hours=23)):
        assert api_tokens.find(token) is not None
    with clock_at(now + timedelta(days=30, minutes=1)):
        assert api_tokens.find(token) is None
    row = api_tokens.find(token)
    row.expires_at = now - timedelta(seconds=1)  # requests read the real clock
    db.session.commit()
    expired = Caller(client, token).get(CASES)
    assert expired.status_code == 401 and expired.mimetype == PROBLEM


def test_delete_current_revokes_the_token_it_carries_only(client, people, grant):
    kept, revoked = Caller(client, grant(people.mediator)), Caller(client, grant(people.mediator))
    assert revoked.delete(TOKENS + "/current").status_code == 204
    assert revoked.get(CASES).status_code == 401
    assert revoked.delete(TOKENS + "/current").status_code == 401
    assert kept.get(CASES).status_code == 200
    assert "auth.token_revoked" in kinds(people.mediator)


@pytest.mark.parametrize("change", ["password_changed", "password_reset", "disabled",
                                    "mfa_reset"])
def test_new_credentials_end_every_token(client, people, make_user, grant, change):
    user = people.mediator if change != "mfa_reset" else people.coordinator
    admin = make_user(is_admin=True)
    caller = Caller(client, grant(user))
    assert caller.get(CASES).status_code == 200
    if change == "password_changed":
        accounts.change_password(user, PASSWORD, "a brand new passphrase")
    elif change == "password_reset":
        accounts.reset_password(admin, user)
    elif change == "disabled":
        accounts.set_active(admin, user, False)
    else:
        two_factor.reset(admin, user)
    db.session.commit()
    assert caller.get(CASES).status_code == 401
    revoked = db.session.scalar(select(Event).where(Event.kind == "auth.tokens_revoked"))
    assert revoked.data["reason"] == change and revoked.data["count"] == 1


def test_signing_out_of_the_browser_leaves_the_tokens(client, people, grant, login):
    caller = Caller(client, grant(people.mediator))
    login(people.mediator)
    client.post("/logout")
    assert caller.get(CASES).status_code == 200


@pytest.mark.parametrize("header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz",
                                    "Bearer not-a-token", "Bearer " + "x" * 5000])
def test_no_token_or_a_bad_one_is_a_401(client, people, header):
    response = client.get(CASES, headers={"Authorization": header} if header else {})
    assert response.status_code == 401 and response.mimetype == PROBLEM


@pytest.mark.parametrize("path, method", [(CASES, "GET"), (CASES, "POST"),
                                          ("/api/v1/workflows", "GET"),
                                          ("/api/v1/dashboard", "GET"),
                                          (TOKENS + "/current", "DELETE")])
def test_the_session_cookie_opens_nothing(client, login, people, path, method):
    login(people.coordinator)
    assert client.get("/cases").status_code == 200  # the cookie works on the pages
    response = client.open(path, method=method, json={} if method == "POST" else None)
    assert response.status_code == 401 and response.mimetype == PROBLEM
    assert "Set-Cookie" not in response.headers


def test_a_cookie_whose_user_must_change_password_is_not_redirected(client, login, make_user,
                                                                     people, grant):
    """The browser's gates (session clock, password change, second factor) stay out of the
    API: its caller is the token's, and the cookie is ignored."""
    user = make_user((people.commune, "mediator"))
    token = grant(user)
    login(user)
    user.must_change_password = True
    db.session.commit()
    assert client.get("/cases").status_code == 302  # the page's gate
    response = Caller(client, token).get(CASES)
    assert response.status_code == 401  # the token stops working too, said as a problem


def test_the_api_needs_no_csrf_token_since_it_takes_no_cookie(app, client, people, grant):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = Caller(client, grant(people.mediator)).delete(TOKENS + "/current")
        page = client.post("/login", data={"username": "x", "password": "y"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 204
    assert page.status_code == 400  # the pages still ask for one
