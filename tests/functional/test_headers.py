"""Every response says what the browser may do with it: no foreign script or frame, no
sniffing, and nothing of a signed-in page kept on a shared phone."""
import re

import pytest
from flask_migrate import upgrade

from casework import create_app
from casework.extensions import db
from casework.services import accounts
from config import ProductionConfig, TestConfig
from tests.factories import STRONG_KEY

from .pages import inline_script, text


@pytest.mark.parametrize("path", ["/login", "/cases", "/dashboard", "/nowhere"])
def test_every_response_carries_the_security_headers(client, login, people, path):
    login(people.coordinator)
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # plain HTTP on a laptop


def test_pages_of_a_signed_in_person_are_not_stored(client, login, people, make_case):
    case = make_case()
    login(people.mediator)
    for path in ("/", "/cases", f"/cases/{case.reference}"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path


def test_static_files_may_be_cached(client, login, people):
    login(people.mediator)
    response = client.get("/static/css/palabre.css")
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_no_page_has_an_inline_script_or_style(client, login, people, make_case):
    case = make_case()
    login(people.coordinator)
    for path in ("/", "/cases", f"/cases/{case.reference}", "/dashboard",
                 "/dashboard/monthly"):
        html = client.get(path).get_data(as_text=True)
        # Scripts are files from this site (the offline work's), never inline.
        assert not inline_script(html) and "style=" not in html and "<style" not in html, path


def test_a_request_too_large_is_refused_in_french(client, login, people):
    login(people.mediator)
    response = client.post("/cases/new", data={"description": "x" * (2 * 1024 * 1024)})
    assert response.status_code == 413
    assert "trop" in text(response).lower()


@pytest.mark.usefixtures("production_env")
@pytest.mark.no_db
def test_production_asks_for_https_only(monkeypatch, tmp_path):
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'p.db'}",
                     SECRET_KEY=STRONG_KEY)
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    assert TestConfig.SESSION_COOKIE_SECURE is False


@pytest.mark.usefixtures("production_env")
@pytest.mark.no_db
@pytest.mark.parametrize("config, secure", [(TestConfig, False), (ProductionConfig, True)])
def test_the_session_cookie_is_httponly_lax_and_secure_in_production(tmp_path, config, secure):
    app = create_app(config, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'c.db'}",
                     WTF_CSRF_ENABLED=False, SECRET_KEY=STRONG_KEY,
                     PASSWORD_HASH_METHOD="scrypt:1024:8:1")
    with app.app_context():
        upgrade()
        accounts.create_user(None, username="awa", full_name="Awa Traoré",
                             password="une phrase assez longue", must_change_password=False)
        db.session.commit()
    response = app.test_client().post("/login", data={
        "username": "awa", "password": "une phrase assez longue"})
    assert response.status_code == 302
    cookie = next(value for name, value in response.headers.items()
                  if name == "Set-Cookie" and value.startswith("session="))
    flags = {part.strip().split("=")[0].lower() for part in cookie.split(";")[1:]}
    assert {"httponly", "samesite"} <= flags and "samesite=lax" in cookie.lower()
    assert ("secure" in flags) is secure
    # No "remember me": the cookie ends with the browser, and the server's clock sooner.
    assert "expires" not in flags and "max-age" not in flags


# A value that each kind of URL parameter accepts (the rest take a case reference).
SAMPLES = {"int": "1", "trigger": "refer", "fmt": "csv"}


def test_every_route_that_changes_something_refuses_get(app, client, login, people):
    """POST-only routes answer a GET (a link, a prefetch, an image tag) with 405."""
    login(people.coordinator)
    readable = {rule.rule for rule in app.url_map.iter_rules() if "GET" in rule.methods}
    post_only = [rule for rule in app.url_map.iter_rules()
                 if "POST" in rule.methods and rule.rule not in readable]
    assert len(post_only) >= 10
    for rule in post_only:
        url = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>", lambda m: SAMPLES.get(
            m.group(1) or m.group(2), "BGN-2026-0001"), rule.rule)
        response = client.get(url)
        assert response.status_code == 405, rule.rule
        if rule.rule.startswith("/api/"):
            assert response.mimetype == "application/problem+json", rule.rule
        else:
            assert "n'est pas possible de cette façon" in text(response), rule.rule
