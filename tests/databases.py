"""Throw-away databases for tests: a file for SQLite, a fresh database on a PostgreSQL server."""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

# When set (a server URL), the suite runs on PostgreSQL instead of SQLite.
SERVER_VARIABLE = "PALABRE_TEST_DATABASE"


def postgres_database(server_url: str):
    """Create a throw-away database on the server; returns (its URL, a function that drops it)."""
    url = make_url(server_url)
    name = f"palabre_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # in CI a PostgreSQL run that cannot start is a failure
        admin.dispose()
        raise pytest.UsageError(
            f"cannot create a test database on {server_url}: {error}") from error

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url.set(database=name).render_as_string(hide_password=False), drop


def on_postgres() -> bool:
    return bool(os.environ.get(SERVER_VARIABLE))


@contextmanager
def fresh_database(directory: Path) -> Iterator[str]:
    """The URL of an empty database, dropped afterwards (SQLite: a file in `directory`)."""
    server = os.environ.get(SERVER_VARIABLE)
    if not server:
        yield f"sqlite:///{directory / 'palabre.db'}"
        return
    url, drop = postgres_database(server)
    try:
        yield url
    finally:
        drop()
