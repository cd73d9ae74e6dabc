"""The app refuses to start on a bad workflow definition or, in production, with demo accounts
or without a secret key; the schema shipped by the migrations matches the models."""
import hashlib
import hmac
import secrets
from pathlib import Path

import pytest
import yaml
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import select

from casework import create_app
from casework.extensions import db
from casework.intake import sms
from casework.models import User
from casework.textsearch import include_object
from config import ProductionConfig, TestConfig
from tests.factories import OTHER_STRONG_KEY, STRONG_KEY
from workflows import WorkflowDefinitionError

DEFINITIONS = Path(__file__).resolve().parents[2] / "workflows" / "definitions"


def broken_definitions(tmp_path):
    data = yaml.safe_load((DEFINITIONS / "mediation.v1.yaml").read_text(encoding="utf-8"))
    data["transitions"][0]["by"] = ["mediator", "griot"]
    (tmp_path / "mediation.v1.yaml").write_text(yaml.safe_dump(data, allow_unicode=True),
                                                encoding="utf-8")
    return tmp_path


@pytest.mark.no_db
def test_an_invalid_definition_stops_the_app_naming_file_and_problem(tmp_path):
    with pytest.raises(WorkflowDefinitionError) as refused:
        create_app(TestConfig, WORKFLOWS_DIR=str(broken_definitions(tmp_path)))
    message = str(refused.value)
    assert "mediation.v1.yaml" in message and "unknown role 'griot'" in message


@pytest.mark.no_db
def test_check_workflows_exits_1_with_the_problem(app, tmp_path):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["check-workflows", "--directory",
                                 str(broken_definitions(tmp_path))])
    assert result.exit_code == 1
    assert "mediation.v1.yaml" in result.output and "unknown role 'griot'" in result.output
    result = runner.invoke(args=["check-workflows"])
    assert result.exit_code == 0 and "ok mediation v1" in result.output


@pytest.mark.usefixtures("production_env")
@pytest.mark.no_db
def test_production_needs_a_secret_key(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)


@pytest.mark.usefixtures("production_env")
@pytest.mark.no_db
@pytest.mark.parametrize("key", ["a", "x" * 64, "a-secret-for-this-test-only",
                                 "palabre-palabre-palabre-palabre-palabre", "0123456789" * 4])
def test_production_refuses_a_weak_secret_key_and_says_how_to_make_one(monkeypatch, key):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(RuntimeError, match="SECRET_KEY is too weak") as refused:
        create_app(ProductionConfig)
    assert "secrets.token_urlsafe(48)" in str(refused.value)


@pytest.mark.usefixtures("production_env")
@pytest.mark.no_db
def test_production_starts_with_a_random_key(monkeypatch, tmp_path):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", secrets.token_urlsafe(48))
    assert create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'k.db'}")
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", secrets.token_hex(32))  # openssl's
    assert create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'k.db'}")


@pytest.mark.usefixtures("production_env")
@pytest.mark.no_db
@pytest.mark.parametrize("gateway", ["SMS_WEBHOOK_SECRET", "TWILIO_AUTH_TOKEN"])
def test_production_with_the_sms_webhook_open_needs_a_digest_key_of_its_own(monkeypatch,
                                                                           tmp_path, gateway):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", STRONG_KEY)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    with pytest.raises(RuntimeError, match="PALABRE_SMS_DIGEST_KEY is not set"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url, **{gateway: "open"})
    for weak, message in (("short", "too weak"), (STRONG_KEY, "must differ")):
        with pytest.raises(RuntimeError, match=message):
            create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url, SMS_DIGEST_KEY=weak,
                       **{gateway: "open"})
    app = create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url,
                     SMS_DIGEST_KEY=OTHER_STRONG_KEY, **{gateway: "open"})
    assert app.config["SMS_DIGEST_KEY"] == OTHER_STRONG_KEY


def test_sender_digests_are_not_keyed_with_the_secret_key(app):
    """Elsewhere than production a digest key is derived: knowing SECRET_KEY (or guessing a
    weak one) is not enough to try every phone number against the event log."""
    phone = "+22376123456"
    with_secret_key = hmac.new(app.config["SECRET_KEY"].encode(), phone.encode(),
                               hashlib.sha256).hexdigest()[:32]
    assert app.config["SMS_DIGEST_KEY"] not in ("", None, app.config["SECRET_KEY"])
    assert sms.sender_digest(phone) != with_secret_key
    assert sms.sender_digest(phone) == sms.sender_digest(phone)


@pytest.mark.usefixtures("production_env")
@pytest.mark.no_db
def test_production_refuses_to_start_while_demo_accounts_exist(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'prod.db'}"
    setup_app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=url)
    with setup_app.app_context():
        upgrade()
        db.session.add(User(username="maire.demo", full_name="Demo", password_hash="x",
                            is_demo=True))
        db.session.commit()
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", STRONG_KEY)
    with pytest.raises(RuntimeError, match="demo accounts"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url)
    with setup_app.app_context():
        db.session.scalar(select(User)).active = False
        db.session.commit()
    assert create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI=url)  # disabled: it starts


def test_the_migrations_match_the_models():
    context = MigrationContext.configure(db.session.connection(),
                                         opts={"include_object": include_object})
    assert compare_metadata(context, db.metadata) == []


def test_healthz_says_503_when_the_database_is_unreachable(monkeypatch, client):
    from sqlalchemy.exc import OperationalError

    def unreachable(*_args, **_kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))
    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "error", "database": "error"}


def test_create_user_command(app):
    result = app.test_cli_runner().invoke(args=[
        "create-user", "--username", "awa.traore", "--full-name", "Awa Traoré",
        "--password", "un mot de passe sûr", "--admin"])
    assert result.exit_code == 0, result.output
    created = db.session.scalar(select(User).where(User.username == "awa.traore"))
    assert created is not None and created.is_admin and created.full_name == "Awa Traoré"
    short = app.test_cli_runner().invoke(args=[
        "create-user", "--username", "x", "--full-name", "X", "--password", "court"])
    assert short.exit_code == 1 and "password" in short.output
    assert db.session.scalar(select(User).where(User.username == "x")) is None


@pytest.mark.no_db
def test_forms_carry_a_csrf_token_and_a_post_without_it_is_refused(database_url):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=True)
    client = app.test_client()
    assert 'name="csrf_token"' in client.get("/login").get_data(as_text=True)
    response = client.post("/login", data={"username": "x", "password": "y"})
    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
