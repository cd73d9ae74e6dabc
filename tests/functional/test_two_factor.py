"""Two-factor authentication: who must use it, setting it up, the code step of the sign-in,
replayed and wrong codes, recovery codes, the gate, an administrator's reset."""
import json
import logging
import re
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from casework import access
from casework.clock import clock_at, epoch_seconds
from casework.extensions import db
from casework.models import Event, RecoveryCode
from casework.services import two_factor
from casework.sessions import ENROLMENT_ENDPOINTS, PENDING
from tests.factories import PASSWORD, TOTP_SECRET

from .pages import inline_script, text

T0 = datetime(2026, 11, 2, 8, 0, 10, tzinfo=timezone.utc)  # 10 s into a 30 s step


def password_step(client, user, **kwargs):
    return client.post("/login", data={"username": user.username, "password": PASSWORD},
                       **kwargs)


def code_now(offset: int = 0, secret: str = TOTP_SECRET) -> str:
    """The code an app shows now (offset steps of 30 s away), by the real clock: requests
    read the real clock too, and a step that turns in between is still accepted."""
    return two_factor.code_at(secret, two_factor.time_step() + offset)


def code_step(client, code, **kwargs):
    return client.post("/login/code", data={"code": code}, **kwargs)


def kinds(user) -> list[str]:
    return list(db.session.scalars(select(Event.kind).where(Event.actor_id == user.id)
                                   .order_by(Event.id)))


# -- who must use it ---------------------------------------------------------------------------

@pytest.mark.parametrize("role, required", [
    ("coordinator", True), ("mediator", False), ("commune_authority", False),
    ("traditional_leader", False)])
def test_the_coordinator_role_requires_it_the_others_do_not(make_user, people, role, required):
    user = make_user((people.commune, role), enrolled=False)
    assert access.requires_two_factor(user) is required


def test_an_administrator_requires_it(make_user):
    assert access.requires_two_factor(make_user(is_admin=True, enrolled=False))


def test_a_coordinator_of_one_commune_among_others_requires_it(make_user, people, elsewhere):
    user = make_user((people.commune, "mediator"), (elsewhere.commune, "coordinator"),
                     enrolled=False)
    assert access.requires_two_factor(user)


@pytest.mark.parametrize("role, lands_on", [
    ("coordinator", "/account/two-factor/enrol"), ("mediator", "/"),
    ("commune_authority", "/"), ("traditional_leader", "/")])
def test_signing_in_without_it_sends_only_the_required_to_set_it_up(client, make_user, people,
                                                                    role, lands_on):
    user = make_user((people.commune, role), enrolled=False)
    assert password_step(client, user).headers["Location"] == "/"
    response = client.get("/")
    assert (response.headers.get("Location") or "/") == lands_on


# -- setting it up ------------------------------------------------------------------------------

def test_enrolment_end_to_end(client, make_user, people):
    user = make_user((people.commune, "coordinator"), enrolled=False)
    password_step(client, user)
    page = client.get("/account/two-factor/enrol")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and '<svg viewBox="0 0' in html and 'class="qr"' in html
    secret = re.search(r'id="totp-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert len(secret) == 32
    assert client.get("/account/two-factor/enrol").get_data(as_text=True).count(
        secret[:4]) >= 1  # reloading keeps the secret already scanned
    db.session.refresh(user)
    assert user.totp_secret == secret and not user.has_two_factor

    wrong = client.post("/account/two-factor/enrol", data={"code": "000000"
                                                           if code_now(0, secret) != "000000"
                                                           else "111111"})
    assert wrong.status_code == 400 and "Ce code n'est pas celui attendu" in text(wrong)
    assert client.get("/cases").headers["Location"] == "/account/two-factor/enrol"

    done = client.post("/account/two-factor/enrol", data={"code": code_now(0, secret)})
    page = text(done)
    assert done.status_code == 200 and "Codes de secours" in page
    assert "Notez-les maintenant sur papier" in page
    shown = re.findall(r"<li>([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})</li>", page)
    assert len(shown) == 10 and len(set(shown)) == 10
    assert done.headers["Cache-Control"] == "no-store"
    db.session.refresh(user)
    assert user.has_two_factor and "auth.mfa_enrolled" in kinds(user)
    assert client.get("/cases").status_code == 200  # this session showed a code: it goes on

    client.post("/logout")
    assert password_step(client, user).headers["Location"] == "/login/code"
    signed_in = code_step(client, code_now(1, secret))  # the next step: the current one is used
    assert signed_in.status_code == 302 and client.get("/cases").status_code == 200


def test_an_optional_user_sets_it_up_from_the_account_page(client, login, people):
    login(people.mediator)
    account = text(client.get("/account/password"))
    assert "Double authentification" in account and "/account/two-factor" in account
    page = text(client.get("/account/two-factor"))
    assert "Désactivée." in page and "Configurer la double authentification" in page
    assert client.get("/account/two-factor/enrol").status_code == 200
    db.session.refresh(people.mediator)
    response = client.post("/account/two-factor/enrol",
                           data={"code": code_now(0, people.mediator.totp_secret)})
    assert response.status_code == 200
    assert client.get("/").status_code == 200
    assert "Activée depuis le" in text(client.get("/account/two-factor"))


def test_an_optional_user_turns_it_off_with_a_code(client, login, make_user, people):
    user = make_user((people.commune, "mediator"), enrolled=True)
    login(user)
    refused = client.post("/account/two-factor/disable", data={"off-code": "12345"})
    assert refused.status_code == 400
    db.session.refresh(user)
    assert user.has_two_factor
    response = client.post("/account/two-factor/disable", data={"off-code": code_now()})
    assert response.headers["Location"] == "/account/two-factor"
    db.session.refresh(user)
    assert not user.has_two_factor and user.totp_secret is None
    assert db.session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id)) is None
    assert "auth.mfa_disabled" in kinds(user)


def test_a_coordinator_cannot_turn_it_off(client, login, people):
    login(people.coordinator)
    page = text(client.get("/account/two-factor"))
    assert "ne peut pas être désactivée" in page and "off-code" not in page
    response = client.post("/account/two-factor/disable", data={"off-code": code_now()})
    assert response.status_code == 403
    db.session.refresh(people.coordinator)
    assert people.coordinator.has_two_factor


# -- the code step of the sign-in ----------------------------------------------------------------

def test_the_password_alone_does_not_sign_in(client, people):
    coordinator = people.coordinator
    response = password_step(client, coordinator)
    assert response.headers["Location"] == "/login/code"
    assert "auth.mfa_challenged" in kinds(coordinator) and "auth.login" not in kinds(coordinator)
    for path in ("/", "/cases", "/dashboard", "/account/two-factor"):  # the pending cookie
        assert client.get(path).headers["Location"].startswith("/login"), path
    page = client.get("/login/code")
    assert page.status_code == 200 and "Code de double authentification" in text(page)
    response = code_step(client, code_now())
    assert response.headers["Location"] == "/"
    assert client.get("/cases").status_code == 200
    assert kinds(coordinator)[-1] == "auth.login"
    login_event = db.session.scalars(select(Event).where(
        Event.kind == "auth.login", Event.actor_id == coordinator.id)).one()
    assert login_event.data == {"second_factor": "totp", "address": "127.0.0.1"}
    with client.session_transaction() as session:
        assert session["signed_in_at"] == session["seen_at"] > 0 and PENDING not in session


def test_a_wrong_code_does_not_sign_in(client, people):
    password_step(client, people.coordinator)
    wrong = "000000" if code_now() != "000000" else "999999"
    response = code_step(client, wrong)
    assert response.status_code == 401 and "Ce code n'est pas valable" in text(response)
    assert client.get("/cases").headers["Location"].startswith("/login")
    assert "auth.mfa_failed" in kinds(people.coordinator)
    assert code_step(client, code_now()).status_code == 302  # a second try still may


def test_a_code_is_never_accepted_twice(app, people):
    first, second = app.test_client(), app.test_client()
    password_step(first, people.coordinator)
    password_step(second, people.coordinator)
    code = code_now()
    assert code_step(first, code).status_code == 302
    replayed = code_step(second, code)
    assert replayed.status_code == 401
    assert second.get("/cases").headers["Location"].startswith("/login")


@pytest.mark.parametrize("target, expected", [
    ("/cases?status=reported", "/cases?status=reported"), ("https://evil.example/x", "/"),
    ("//evil.example", "/"), ("/\\evil.example", "/")])
def test_next_survives_the_code_step_and_stays_on_the_site(client, people, target, expected):
    response = password_step(client, people.coordinator, query_string={"next": target})
    location = response.headers["Location"]
    assert location.startswith("/login/code") and "evil" not in location
    done = client.post(location, data={"code": code_now()})
    assert done.headers["Location"] == expected
    # typed by hand on the code page's address, the target is checked there too
    client.post("/logout")
    password_step(client, people.coordinator)
    with client.session_transaction() as session:
        assert session[PENDING]["user"] == people.coordinator.id
    response = client.post("/login/code", query_string={"next": target},
                           data={"code": code_now(1)})
    assert response.headers["Location"] == expected


def _password_typed_ago(client, seconds: int) -> None:
    with client.session_transaction() as session:
        session[PENDING] = {**session[PENDING], "at": epoch_seconds() - seconds}


def test_a_code_after_five_minutes_needs_the_password_again(client, people):
    password_step(client, people.coordinator)
    _password_typed_ago(client, 5 * 60 - 20)
    assert client.get("/login/code").status_code == 200  # still in time
    _password_typed_ago(client, 5 * 60 + 1)
    response = code_step(client, code_now())
    assert response.headers["Location"].startswith("/login")
    assert "dans les cinq minutes" in text(client.get(response.headers["Location"]))
    assert client.get("/cases").headers["Location"].startswith("/login")
    assert "auth.login" not in kinds(people.coordinator)


def test_ending_the_sessions_ends_a_pending_code_step(client, people):
    password_step(client, people.coordinator)
    people.coordinator.end_sessions()  # e.g. an administrator reset the password meanwhile
    db.session.commit()
    assert code_step(client, code_now()).headers["Location"].startswith("/login")
    assert client.get("/").headers["Location"].startswith("/login")


def test_the_code_page_without_a_password_first_sends_to_sign_in(client):
    assert client.get("/login/code").headers["Location"].startswith("/login")
    assert code_step(client, "123456").headers["Location"].startswith("/login")


def test_a_signed_in_cookie_that_skipped_the_code_is_refused(client, people):
    """The session as it would be if a cookie were made without the code step."""
    with client.session_transaction() as session:
        session["_user_id"] = people.coordinator.get_id()
        session["_fresh"] = True
        session["signed_in_at"] = session["seen_at"] = epoch_seconds()
    response = client.get("/cases")
    assert response.headers["Location"] == "/login"
    assert "Reconnectez-vous, avec votre code" in text(client.get("/login"))
    assert client.get("/").headers["Location"].startswith("/login")  # the cookie is emptied


def test_codes_count_toward_sign_in_throttling(client, people):
    wrong = "000000" if code_now() != "000000" else "999999"
    password_step(client, people.coordinator)
    for _ in range(6):
        assert code_step(client, wrong).status_code == 401
    closed = code_step(client, code_now())
    assert closed.status_code == 429 and "réessayez dans" in text(closed)
    assert client.get("/cases").headers["Location"].startswith("/login")
    # this name waits at this address, even for the right password
    assert password_step(client, people.coordinator).status_code == 429
    assert "auth.login_throttled" in kinds(people.coordinator)


def test_wrong_passwords_and_wrong_codes_add_up(client, people):
    wrong = "000000" if code_now() != "000000" else "999999"
    for _ in range(3):
        client.post("/login", data={"username": people.coordinator.username, "password": "non"})
    password_step(client, people.coordinator)
    for _ in range(3):
        code_step(client, wrong)
    assert code_step(client, code_now()).status_code == 429


# -- recovery codes ------------------------------------------------------------------------------

def test_a_recovery_code_works_once_whatever_its_spelling(app, people):
    coordinator = people.coordinator
    code = coordinator.recovery_codes_given[3]
    phone = app.test_client()
    password_step(phone, coordinator)
    typed = " " + code.lower().replace("-", " ") + " "
    response = code_step(phone, typed)
    assert response.headers["Location"] == "/"
    assert "il en reste 9" in text(phone.get("/"))
    assert "auth.mfa_recovery_used" in kinds(coordinator)
    assert db.session.scalars(select(Event).where(
        Event.kind == "auth.login", Event.actor_id == coordinator.id)).one().data == {
        "second_factor": "recovery", "address": "127.0.0.1"}
    again = app.test_client()
    password_step(again, coordinator)
    assert code_step(again, code).status_code == 401
    assert code_step(again, coordinator.recovery_codes_given[4].replace("-", "")
                     ).status_code == 302


def test_recovery_codes_are_stored_hashed(people):
    rows = list(db.session.scalars(select(RecoveryCode).where(
        RecoveryCode.user_id == people.coordinator.id)))
    assert len(rows) == 10 and all(row.used_at is None for row in rows)
    stored = " ".join(row.code_hash for row in rows)
    for code in people.coordinator.recovery_codes_given:
        assert code not in stored and code.replace("-", "") not in stored


def test_new_recovery_codes_replace_the_old_ones(client, login, people):
    coordinator = people.coordinator
    old = coordinator.recovery_codes_given
    login(coordinator)
    page = text(client.get("/account/two-factor"))
    assert "10 codes de secours restants." in page
    refused = client.post("/account/two-factor/recovery-codes", data={"renew-code": "nope"})
    assert refused.status_code == 400
    response = client.post("/account/two-factor/recovery-codes",
                           data={"renew-code": code_now()})
    new = re.findall(r"<li>([2-9A-Z-]{19})</li>", text(response))
    assert len(new) == 10 and not set(new) & set(old)
    assert "auth.mfa_recovery_regenerated" in kinds(coordinator)
    db.session.refresh(coordinator)
    assert two_factor.verify(coordinator, old[0]) is None
    assert two_factor.verify(coordinator, new[0]) == "recovery"


# -- the gate for those who must set it up ---------------------------------------------------

FREE = ENROLMENT_ENDPOINTS | {"auth.code"}  # auth.code sends a signed-in person home


def _sample_url(app, rule, case, user_id) -> str:
    """A URL of the rule with real values where they matter, 1 for any other argument (the
    gate answers before the view reads them)."""
    values = {"reference": case.reference, "user_id": user_id, "commune_id": case.commune_id,
              "trigger": "start_mediation", "fmt": "csv", "filename": "css/palabre.css"}
    with app.test_request_context():
        from flask import url_for
        return url_for(rule.endpoint, **{name: values.get(name, 1) for name in rule.arguments})


@pytest.mark.parametrize("who", ["coordinator", "admin"])
def test_every_page_sends_one_who_must_set_it_up_to_the_set_up(app, client, login, make_user,
                                                              people, make_case, who):
    case = make_case()
    user = (make_user((people.commune, "coordinator"), enrolled=False) if who == "coordinator"
            else make_user(is_admin=True, enrolled=False))
    login(user)
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in FREE or rule.rule.startswith("/api/"):
            continue  # the API takes no cookie; it refuses such a person a token (tests/api)
        url = _sample_url(app, rule, case, people.mediator.id)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = client.open(url, method=method)
            assert response.status_code == 302, (method, url, response.status_code)
            assert response.headers["Location"] == "/account/two-factor/enrol", (method, url)
            checked += 1
    assert checked > 30
    assert client.get("/account/two-factor/enrol").status_code == 200
    assert client.get("/account/password").status_code == 200
    assert client.post("/account/language", data={"language": "en"}).status_code == 302
    assert client.post("/logout").headers["Location"] == "/login"


def test_a_coordinator_who_must_change_the_password_does_that_first(client, make_user, people):
    user = make_user((people.commune, "coordinator"), enrolled=False, must_change_password=True)
    password_step(client, user)
    assert client.get("/cases").headers["Location"] == "/account/two-factor/enrol"
    assert client.get("/account/two-factor/enrol").headers["Location"] == "/account/password"
    assert client.get("/account/password").status_code == 200


def test_a_coordinator_keeps_the_session_after_changing_the_password(client, login, people):
    login(people.coordinator)
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "une phrase plus longue",
        "confirm": "une phrase plus longue"})
    assert response.status_code == 302 and client.get("/cases").status_code == 200


def test_turning_it_on_ends_other_sessions_that_had_no_code(app, login, people):
    laptop = login(people.mediator, app.test_client())
    phone = login(people.mediator, app.test_client())
    phone.get("/account/two-factor/enrol")
    db.session.refresh(people.mediator)
    phone.post("/account/two-factor/enrol",
               data={"code": code_now(0, people.mediator.totp_secret)})
    assert phone.get("/cases").status_code == 200
    assert laptop.get("/cases").headers["Location"] == "/login"


# -- an administrator's reset ------------------------------------------------------------------

def test_an_administrator_resets_a_lost_phone(app, login, make_user, people):
    admin = make_user(is_admin=True)
    coordinator = people.coordinator
    phone = login(coordinator, app.test_client())
    office = login(admin, app.test_client())
    page = text(office.get(f"/admin/users/{coordinator.id}"))
    assert "Activée depuis le" in page and "Réinitialiser la double authentification" in page
    response = office.post(f"/admin/users/{coordinator.id}/two-factor/reset")
    assert response.headers["Location"] == f"/admin/users/{coordinator.id}"
    assert "est réinitialisée" in text(office.get(response.headers["Location"]))
    db.session.refresh(coordinator)
    assert coordinator.totp_secret is None and not coordinator.has_two_factor
    assert db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == coordinator.id)) is None
    event = db.session.scalars(select(Event).where(Event.kind == "admin.mfa_reset")).one()
    assert event.actor_id == admin.id and event.data["user_id"] == coordinator.id
    assert phone.get("/cases").headers["Location"].startswith("/login")  # the lost phone
    new_phone = app.test_client()
    assert password_step(new_phone, coordinator).headers["Location"] == "/"
    assert new_phone.get("/cases").headers["Location"] == "/account/two-factor/enrol"


def test_only_an_administrator_resets(client, login, people, make_user):
    login(people.coordinator)
    target = make_user((people.commune, "coordinator"))
    assert client.post(f"/admin/users/{target.id}/two-factor/reset").status_code == 403
    db.session.refresh(target)
    assert target.has_two_factor


def test_the_user_page_says_when_it_is_required_but_not_set_up(client, login, make_user,
                                                              people):
    login(make_user(is_admin=True))
    waiting = make_user((people.commune, "coordinator"), enrolled=False)
    page = text(client.get(f"/admin/users/{waiting.id}"))
    assert "Exigée par le rôle, pas encore configurée" in page
    assert "Désactivée (facultative pour ce rôle)." in text(
        client.get(f"/admin/users/{people.mediator.id}"))


# -- nothing secret is written down -------------------------------------------------------------

def test_no_secret_or_code_reaches_the_events_or_the_log(app, client, make_user, people, caplog):
    caplog.set_level(logging.DEBUG)
    user = make_user((people.commune, "coordinator"), enrolled=False)
    password_step(client, user)
    client.get("/account/two-factor/enrol")
    db.session.refresh(user)
    secret, typed = user.totp_secret, [code_now(0, user.totp_secret)]
    shown = text(client.post("/account/two-factor/enrol", data={"code": typed[0]}))
    recovery = re.findall(r"<li>([2-9A-Z-]{19})</li>", shown)
    client.post("/logout")
    password_step(client, user)
    typed.append("000000" if code_now(1, secret) != "000000" else "999999")
    code_step(client, typed[-1])
    code_step(client, recovery[0])
    client.post("/account/two-factor/recovery-codes", data={"renew-code": code_now(1, secret)})
    written = json.dumps([e.data for e in db.session.scalars(select(Event))])
    logged = caplog.text
    for value in [secret, *typed, *recovery, *(r.replace("-", "") for r in recovery)]:
        assert value not in written and value not in logged, value
    assert {"auth.mfa_enrolled", "auth.mfa_failed", "auth.mfa_recovery_used",
            "auth.mfa_recovery_regenerated", "auth.login"} <= set(kinds(user))


# -- the service, on a frozen clock ----------------------------------------------------------

def _enrolled_at(user, moment):
    user.totp_last_step = None
    db.session.commit()
    return two_factor.time_step(moment)


@pytest.mark.parametrize("offset, accepted", [(-2, False), (-1, True), (0, True), (1, True),
                                              (2, False)])
def test_the_steps_either_side_of_now_are_accepted(people, offset, accepted):
    step = _enrolled_at(people.coordinator, T0)
    with clock_at(T0):
        method = two_factor.verify(people.coordinator,
                                   two_factor.code_at(TOTP_SECRET, step + offset))
    assert (method == "totp") is accepted


def test_a_code_older_than_the_last_accepted_one_is_refused(people):
    step = _enrolled_at(people.coordinator, T0)
    user = people.coordinator
    with clock_at(T0):
        assert two_factor.verify(user, two_factor.code_at(TOTP_SECRET, step)) == "totp"
        assert two_factor.verify(user, two_factor.code_at(TOTP_SECRET, step)) is None
        assert two_factor.verify(user, two_factor.code_at(TOTP_SECRET, step - 1)) is None
    with clock_at(T0 + timedelta(seconds=30)):
        assert two_factor.verify(user, two_factor.code_at(TOTP_SECRET, step + 1)) == "totp"
    db.session.commit()
    assert user.totp_last_step == step + 1


def test_of_two_requests_racing_with_one_code_only_one_wins(people):
    """The second request read the user before the first wrote its step: the database, not
    the copy in memory, decides."""
    from sqlalchemy.orm.attributes import set_committed_value

    step = _enrolled_at(people.coordinator, T0)
    code = two_factor.code_at(TOTP_SECRET, step)
    with clock_at(T0):
        assert two_factor.verify(people.coordinator, code) == "totp"
        set_committed_value(people.coordinator, "totp_last_step", None)  # the stale read
        assert two_factor.verify(people.coordinator, code) is None


def test_codes_are_read_without_spaces_or_dashes(people):
    step = _enrolled_at(people.coordinator, T0)
    code = two_factor.code_at(TOTP_SECRET, step)
    with clock_at(T0):
        assert two_factor.verify(people.coordinator, f" {code[:3]} - {code[3:]} ") == "totp"


def test_a_user_without_it_has_no_code_to_check(people):
    assert two_factor.verify(people.mediator, "123456") is None


def test_recovery_codes_are_random_and_legible(people):
    codes = people.coordinator.recovery_codes_given
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(two_factor.RECOVERY_ALPHABET)
    assert not set("01OIL") & set(two_factor.RECOVERY_ALPHABET)


def test_the_set_up_pages_have_no_inline_script_or_style(client, login, make_user, people):
    login(make_user((people.commune, "coordinator"), enrolled=False))
    html = client.get("/account/two-factor/enrol").get_data(as_text=True)
    assert "<svg" in html
    assert not inline_script(html) and "style=" not in html and "<style" not in html
