"""One app per test session (schema built by the Alembic migrations), one rolled-back
transaction per test, and factory fixtures that build rows through the services.

The suite runs on SQLite by default and on PostgreSQL when PALABRE_TEST_DATABASE names a
server URL: a fresh database is created on it for the session and dropped afterwards.
"""
from __future__ import annotations

import contextvars
import os

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from casework import create_app
from casework.clock import CLOCK_VARIABLE, clock_at, frozen
from casework.extensions import db
from config import TestConfig

from .databases import SERVER_VARIABLE, postgres_database
from .kept import on_connection
from .signing import signed_in_as

pytest_plugins = ["tests.factories", "tests.mechanism_factories", "tests.referral_factories",
                  "tests.file_storage"]


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as on a real server: its own app context, `g` and
    database session, so that a view that forgets to commit loses its changes here too. The
    test's own session is expired afterwards, so that it reads the rows the request wrote.
    A clock the test set (`clock_at`) holds in the request too."""

    def open(self, *args, **kwargs):
        moment = frozen()  # a test that set the clock makes its requests at that moment

        def request():
            if moment is None:
                return super(IsolatedClient, self).open(*args, **kwargs)
            with clock_at(moment):
                return super(IsolatedClient, self).open(*args, **kwargs)

        response = contextvars.Context().run(request)
        if has_app_context():
            db.session.expire_all()
        return response


def pytest_collection_modifyitems(config, items):
    """A test about one database's own feature runs in that database's run and is left out of
    the other (deselected, not skipped: nothing that should run is ever skipped)."""
    unwanted = "sqlite_only" if os.environ.get("PALABRE_TEST_DATABASE") else "postgres_only"
    left_out = [item for item in items if unwanted in item.keywords]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if unwanted not in item.keywords]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    server = os.environ.get(SERVER_VARIABLE)
    if server:
        url, drop = postgres_database(server)
        yield url
        drop()
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'palabre-test.db'}"


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=database_url, WTF_CSRF_ENABLED=False,
                     ATTACHMENTS_DIR=str(tmp_path_factory.mktemp("attachments")))
    with app.app_context():
        upgrade()  # the migrations, not create_all: the schema tests run on is the one shipped
        db.session.remove()
        db.session.configure(join_transaction_mode="create_savepoint")
    app.test_client_class = IsolatedClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="module")
def module_connection(app):
    """One connection and outer transaction held for a test module, rolled back at its end;
    each test runs in a savepoint of it (`_transaction`)."""
    with app.app_context():
        connection = db.engine.connect()
    outer = connection.begin()
    yield connection
    outer.rollback()
    connection.close()


@pytest.fixture(autouse=True)
def _transaction(request, app):
    """Every test runs in a savepoint of its module's connection, rolled back at its end: what
    the module's `kept_` fixtures built (tests/kept.py) stays, and nothing else."""
    if "no_db" in request.keywords:
        yield
        return
    connection = request.getfixturevalue("module_connection")
    for name in request.fixturenames:  # module-scoped, so built already: never in the savepoint
        if name.startswith("kept_"):
            request.getfixturevalue(name)
    transaction = connection.begin_nested()
    try:
        with on_connection(app, connection):
            yield
    finally:
        transaction.rollback()


@pytest.fixture
def production_env(monkeypatch):
    """For a test that starts the production configuration, which refuses a moved clock:
    PALABRE_CLOCK is unset for it (this process's clock, read at import, stays moved)."""
    monkeypatch.delenv(CLOCK_VARIABLE, raising=False)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def login(client):
    """login(user): sign `user` in on the test client (the cookie, as Flask-Login writes it,
    and, for a user with two-factor on, as the code step leaves it once the code was right)."""
    def sign_in(user, on=None):
        return signed_in_as(user, on or client)
    return sign_in
