"""Signing in and out on a shared phone, changing one's password and language."""

import pytest
from sqlalchemy import select

from casework.clock import epoch_seconds
from casework.extensions import db
from casework.models import Event
from tests.factories import PASSWORD

from .pages import text


def sign_in(client, username, password, **kwargs):
    return client.post("/login", data={"username": username, "password": password}, **kwargs)


def test_sign_in_lands_on_my_work_in_french(client, people):
    response = sign_in(client, people.mediator.username, PASSWORD, follow_redirects=True)
    page = text(response)
    assert response.status_code == 200 and "Mon travail" in page
    assert db.session.scalar(select(Event).where(Event.kind == "auth.login",
                                                 Event.actor_id == people.mediator.id))


@pytest.mark.parametrize("username, password", [
    ("nobody", PASSWORD), ("{mediator}", "wrong password!"), ("{mediator}", "")])
def test_a_failed_sign_in_says_the_same_thing_whatever_was_wrong(client, people, username,
                                                                  password):
    response = sign_in(client, username.format(mediator=people.mediator.username), password)
    page = text(response)
    if password:
        assert response.status_code == 401
        assert "Nom d'utilisateur ou mot de passe incorrect." in page
    else:
        assert response.status_code == 400 and 'id="password-error"' in page
    assert client.get("/").status_code == 302  # still not signed in


def test_username_is_not_case_sensitive(client, people):
    response = sign_in(client, people.mediator.username.upper(), PASSWORD)
    assert response.status_code == 302


def test_a_disabled_account_cannot_sign_in(client, people):
    people.mediator.active = False
    db.session.commit()
    assert sign_in(client, people.mediator.username, PASSWORD).status_code == 401


def test_next_never_leaves_the_site(client, people):
    for target, expected in (("/cases", "/cases"), ("https://evil.example/x", "/"),
                             ("//evil.example", "/"), ("/\\evil.example", "/")):
        client.post("/logout")
        response = sign_in(client, people.mediator.username, PASSWORD,
                           query_string={"next": target})
        assert response.headers["Location"] == expected


def test_logout_is_a_post_and_ends_the_session(client, people):
    sign_in(client, people.mediator.username, PASSWORD)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", follow_redirects=True)
    assert "Vous pouvez passer le téléphone" in text(response)
    assert client.get("/").status_code == 302


def test_a_cookie_copied_before_logout_is_refused_after_it(app, people):
    phone = app.test_client()
    sign_in(phone, people.mediator.username, PASSWORD)
    copied = phone.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert thief.get("/").status_code == 200  # the copy works while the session lives
    phone.post("/logout")
    assert thief.get("/").status_code == 302
    assert thief.get("/cases").headers["Location"].startswith("/login")


def test_changing_the_password_ends_other_sessions(app, people):
    phone, laptop = app.test_client(), app.test_client()
    sign_in(phone, people.mediator.username, PASSWORD)
    sign_in(laptop, people.mediator.username, PASSWORD)
    response = phone.post("/account/password", data={
        "current_password": PASSWORD, "new_password": "une phrase plus longue",
        "confirm": "une phrase plus longue"})
    assert response.status_code == 302
    assert phone.get("/").status_code == 200  # this session was renewed
    assert laptop.get("/").status_code == 302  # the other one is over
    assert sign_in(app.test_client(), people.mediator.username,
                   "une phrase plus longue").status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"current_password": "not it at all", "new_password": "une phrase plus longue",
      "confirm": "une phrase plus longue"}, "Le mot de passe actuel est incorrect."),
    ({"current_password": PASSWORD, "new_password": "court", "confirm": "court"}, None),
    ({"current_password": PASSWORD, "new_password": "une phrase plus longue",
      "confirm": "une autre phrase"}, "Les deux mots de passe sont différents."),
])
def test_password_change_errors(login, client, people, data, message):
    login(people.mediator)
    response = client.post("/account/password", data=data)
    assert response.status_code == 400
    if message:
        assert message in text(response)


def test_a_user_who_must_change_the_password_is_sent_there(client, people):
    people.mediator.must_change_password = True
    db.session.commit()
    sign_in(client, people.mediator.username, PASSWORD)
    response = client.get("/cases")
    assert response.status_code == 302 and response.headers["Location"] == "/account/password"


def test_language_is_remembered_per_user(app, people, login):
    client = login(people.mediator, app.test_client())
    client.post("/account/language", data={"language": "en"})
    db.session.refresh(people.mediator)
    assert people.mediator.language == "en"
    assert "My work" in text(login(people.mediator, app.test_client()).get("/"))


def test_the_login_page_can_switch_to_english(client):
    client.post("/account/language", data={"language": "en", "next": "/login"})
    assert "Sign in" in text(client.get("/login"))


def test_french_by_default_whatever_the_browser_says(client):
    page = text(client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}))
    assert "Se connecter" in page and 'lang="fr"' in page


@pytest.mark.parametrize("idle_minutes, age_hours, still_in", [
    (5, 1, True), (29, 11, True), (31, 1, False), (1, 12.1, False)])
def test_a_session_ends_when_idle_or_old(client, login, people, idle_minutes, age_hours,
                                         still_in):
    login(people.mediator)
    with client.session_transaction() as session:
        now = epoch_seconds()
        session["seen_at"] = now - idle_minutes * 60
        session["signed_in_at"] = now - int(age_hours * 3600)
    response = client.get("/cases")
    assert (response.status_code == 200) is still_in
    if not still_in:
        assert response.headers["Location"] == "/login"
        followed = client.get(response.headers["Location"])
        assert "Votre session est terminée" in followed.get_data(as_text=True)
        assert client.get("/cases").status_code == 302  # the cookie no longer signs in


def test_signing_in_starts_the_clock(client, people):
    client.post("/login", data={"username": people.mediator.username, "password": PASSWORD})
    with client.session_transaction() as session:
        assert session["signed_in_at"] == session["seen_at"] > 0
