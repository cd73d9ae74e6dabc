"""A form sent after the session ended is kept for the person who typed it: they find it filled
after signing in again and send it with a fresh token; anyone else who signs in on the phone
sees nothing of it, and it is dropped; it expires; it never reaches a log, a URL or the cookie."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from casework.clock import clock_at, epoch_seconds, utcnow
from casework.extensions import db
from casework.models import Case, KeptForm
from tests.dates import typed
from tests.factories import PASSWORD

from .pages import hidden_fields, text
from .test_application_log import log, logged  # noqa: F401 (the fixture)
from .test_lifecycle import intake
from .test_two_factor import code_now

FACTS = "Les chèvres de Zanférébougou ont mangé le mil de la famille Kwéléba"
PARTY = "Bakary Xéléguéla"


def _end_session(client) -> None:
    with client.session_transaction() as session:
        session["seen_at"] = epoch_seconds() - 31 * 60


def _sent_too_late(client, people):
    """The mediator opens the intake form, types, and sends it 31 idle minutes later."""
    page = client.get("/cases/new")
    data = {**hidden_fields(page.get_data(as_text=True)),
            **intake(people.commune, description=FACTS, **{"parties-0-name": PARTY})}
    _end_session(client)
    return client.post("/cases/new", data=data), data


def _cases() -> int:
    return db.session.scalar(select(func.count(Case.id)))


def _sign_in(client, user):
    """Password, then the code for a user who has two-factor on: where it lands."""
    response = client.post("/login", data={"username": user.username, "password": PASSWORD})
    if response.headers["Location"].startswith("/login/code"):
        response = client.post(response.headers["Location"], data={"code": code_now()})
    return response


def test_the_same_person_finds_the_form_filled_and_sends_it(client, login, people):
    login(people.mediator)
    response, sent = _sent_too_late(client, people)
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert _cases() == 0
    signin = text(client.get("/login"))
    assert "Ce que vous avez saisi est gardé" in signin and FACTS not in signin
    kept = db.session.scalar(select(KeptForm))
    assert kept.user_id == people.mediator.id
    assert "csrf_token" not in dict(kept.fields) and "submission" not in dict(kept.fields)

    back = _sign_in(client, people.mediator)
    assert back.headers["Location"] == "/cases/new"
    form = client.get("/cases/new")
    page = text(form)
    assert FACTS in page and PARTY in page and "Faragouaran" in page
    assert "Voici ce que vous aviez saisi" in page
    assert db.session.scalar(select(KeptForm)) is None  # given back once
    fresh = hidden_fields(form.get_data(as_text=True))["submission"]
    assert fresh and fresh != sent["submission"]  # a fresh one-time token
    assert FACTS not in text(client.get("/cases/new"))  # only once

    done = client.post("/cases/new", data={**sent, "submission": fresh})
    assert done.status_code == 302 and _cases() == 1


def test_an_item_of_the_phones_queue_is_left_to_the_phone(client, login, people):
    """The offline queue (static/js/queue.js) keeps its item and sends it again after the same
    person signs in: kept here too, it would be recorded twice."""
    login(people.mediator)
    page = client.get("/cases/new")
    data = {**hidden_fields(page.get_data(as_text=True)),
            **intake(people.commune, description=FACTS, **{"parties-0-name": PARTY})}
    _end_session(client)
    response = client.post("/cases/new", data=data,
                           headers={"X-Palabre-Key": "0b9e3c1e-5f7a-4c2b-9d1e-2a3b4c5d6e7f"})
    assert response.status_code in (302, 303) and response.headers["Location"] == "/login"
    assert db.session.scalar(select(func.count(KeptForm.id))) == 0 and _cases() == 0


@pytest.mark.parametrize("other", ["coordinator", "mayor", "chief", "other_mediator",
                                   "foreign_mediator", "admin"])
def test_someone_else_signing_in_sees_nothing_and_it_is_dropped(client, login, cast, people,
                                                                other):
    login(people.mediator)
    _sent_too_late(client, people)
    assert db.session.scalar(select(KeptForm)) is not None
    someone = cast[other]
    landed = _sign_in(client, someone)
    assert landed.headers["Location"] != "/cases/new"
    assert db.session.scalar(select(KeptForm)) is None  # dropped unseen
    for url in ("/", "/cases/new"):
        response = client.get(url, follow_redirects=True)
        assert FACTS not in text(response) and PARTY not in text(response)
    # and the mediator, signing in after them, finds nothing either
    client.post("/logout")
    _sign_in(client, people.mediator)
    assert FACTS not in text(client.get("/cases/new"))


def test_a_kept_form_expires(app, client, login, people):
    login(people.mediator)
    _sent_too_late(client, people)
    later = utcnow() + timedelta(minutes=app.config["KEPT_FORM_MINUTES"] + 1)
    with clock_at(later):
        landed = _sign_in(client, people.mediator)
        assert landed.headers["Location"] != "/cases/new"
        assert FACTS not in text(client.get("/cases/new"))
    assert db.session.scalar(select(KeptForm)) is None


def test_a_post_refused_for_its_token_after_the_session_ended_is_kept(app, client, login,
                                                                      people, monkeypatch):
    """The session ended in another tab (a page opened there cleared it): the form then fails
    its CSRF check, and is kept for the one whose session it was, not answered with a 400."""
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    login(people.mediator)
    page = client.get("/cases/new")
    data = {**hidden_fields(page.get_data(as_text=True)),
            **intake(people.commune, description=FACTS)}
    assert data.get("csrf_token")
    _end_session(client)
    assert client.get("/cases").status_code == 302  # the other tab
    response = client.post("/cases/new", data=data)
    assert response.status_code == 303 and response.headers["Location"] == "/login"
    assert db.session.scalar(select(KeptForm)).user_id == people.mediator.id
    signin = client.get("/login")
    token = hidden_fields(signin.get_data(as_text=True))["csrf_token"]
    back = client.post("/login", data={"username": people.mediator.username,
                                       "password": PASSWORD, "csrf_token": token})
    assert back.headers["Location"] == "/cases/new"
    assert FACTS in text(client.get("/cases/new"))


def test_without_a_session_to_bind_it_to_nothing_is_kept(app, client, people, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    response = client.post("/cases/new", data=intake(people.commune, description=FACTS))
    assert response.status_code == 400
    assert db.session.scalar(select(KeptForm)) is None


def test_what_was_typed_is_never_logged_nor_in_a_url_or_the_cookie(client, login, people,
                                                                    log):  # noqa: F811
    login(people.mediator)
    response, _sent = _sent_too_late(client, people)
    cookie = response.headers.get("Set-Cookie", "")
    landed = _sign_in(client, people.mediator)
    restored = client.get("/cases/new")
    assert FACTS in text(restored)
    records = "\n".join(logged(r) for r in log.records)
    assert "kept_forms" in records  # the statements were logged: the test can see
    for secret in (FACTS, PARTY):
        assert secret not in records
        for answer in (response, landed, restored):
            assert secret not in answer.headers.get("Location", "")
        assert secret not in cookie


def test_a_coordinator_gets_it_back_after_the_code_step(client, login, people):
    """The kept form waits through the two-factor step: it is given back at the full sign-in."""
    login(people.coordinator)
    page = client.get("/cases/new")
    data = {**hidden_fields(page.get_data(as_text=True)),
            **intake(people.commune, description=FACTS)}
    _end_session(client)
    assert client.post("/cases/new", data=data).status_code == 303
    password = client.post("/login", data={"username": people.coordinator.username,
                                           "password": PASSWORD})
    assert password.headers["Location"].startswith("/login/code")
    assert db.session.scalar(select(KeptForm)) is not None  # not signed in yet: still kept
    landed = client.post(password.headers["Location"], data={"code": code_now()})
    assert landed.headers["Location"] == "/cases/new"
    assert FACTS in text(client.get("/cases/new"))


def test_any_page_form_is_kept_the_same_way(client, login, people, make_case):
    """Not only the intake: a mediation step typed at length comes back too."""
    case = make_case("in_mediation")
    url = f"/cases/{case.reference}/steps/new"
    login(people.mediator)
    data = {**hidden_fields(client.get(url).get_data(as_text=True)),
            "step_date": typed(0), "kind": "joint_session", "place": "Vestibule du chef",
            "women": "1", "men": "2", "young_women": "0", "young_men": "0",
            "summary": FACTS, "outcome": ""}
    _end_session(client)
    assert client.post(url, data=data).status_code == 303
    assert _sign_in(client, people.mediator).headers["Location"] == url
    page = client.get(url)
    assert FACTS in text(page) and "Vestibule du chef" in text(page)
    sent = client.post(url, data={**data, **hidden_fields(page.get_data(as_text=True))})
    assert sent.status_code == 302
