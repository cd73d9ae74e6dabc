"""`flask --app wsgi backup`: a consistent copy of the SQLite database taken while gunicorn
serves a stream of writes; on PostgreSQL, a clear refusal that points to pg_dump."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest
from sqlalchemy import select

from casework.models import User
from tests.invariants import database_problems, sqlite_file_problems

from .server import ROOT
from .site import MEDIATORS, opened
from .stream import Stream, missing

pytestmark = pytest.mark.no_db


def flask_backup(database_url: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("DATABASE_URL", "PALABRE_TEST_DATABASE")}
    environment.update(PALABRE_ENV="test", TEST_DATABASE_URL=database_url, **env)
    return subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "backup", *args],
                          cwd=ROOT, env=environment, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.sqlite_only  # PostgreSQL is backed up with pg_dump
def test_a_backup_taken_under_writes_is_consistent_and_holds_what_was_committed(
        site, server, tmp_path):
    with site.reading() as session:
        ids = dict(session.execute(select(User.username, User.id).where(
            User.username.in_(MEDIATORS))).all())
        commune = site.people(session).commune
    stop = threading.Event()
    streams = [Stream(server.base_url, name, ids[name], commune, stop) for name in MEDIATORS[:2]]
    try:
        for stream in streams:
            stream.start()
        deadline = time.monotonic() + 30
        while sum(sum(s.snapshot().values()) for s in streams) < 10:
            assert time.monotonic() < deadline, [s.unexpected for s in streams]
            time.sleep(0.02)
        committed = [s.snapshot() for s in streams]  # acknowledged before the backup began
        copy = tmp_path / "copies" / "palabre-copy.db"
        # (an attachments directory of its own: a developer's instance/ may hold files)
        done = flask_backup(site.url, str(copy),
                            PALABRE_ATTACHMENTS_DIR=str(tmp_path / "attachments"))
        during = sum(sum(s.snapshot().values()) for s in streams) - sum(
            sum(c.values()) for c in committed)
    finally:
        stop.set()
        for stream in streams:
            stream.join(timeout=30)
    assert [s.unexpected for s in streams] == [[], []], server.log()

    assert done.returncode == 0, done.stderr
    assert str(copy) in done.stdout and "integrity check: ok" in done.stdout
    assert during > 0  # the app kept writing while the copy was made
    assert sorted(p.name for p in copy.parent.iterdir()) == ["palabre-copy.db"]  # no -wal
    assert sqlite_file_problems(copy) == []
    with opened(f"sqlite:///{copy}") as session:
        assert database_problems(session) == []
        assert [lost for c in committed for lost in missing(session, c)] == []


@pytest.mark.sqlite_only  # PostgreSQL is backed up with pg_dump
def test_the_backup_goes_to_instance_backups_by_default(site, tmp_path):
    done = flask_backup(site.url, PALABRE_INSTANCE=str(tmp_path))
    assert done.returncode == 0, done.stderr
    [copy] = (tmp_path / "backups").iterdir()
    assert copy.name.startswith("palabre-") and copy.suffix == ".db"
    assert str(copy) in done.stdout and sqlite_file_problems(copy) == []


@pytest.mark.postgres_only  # SQLite has its own backup command
def test_on_postgresql_the_backup_command_points_to_pg_dump(site, tmp_path):
    done = flask_backup(site.url, str(tmp_path / "palabre.db"))
    assert done.returncode == 1
    assert "pg_dump -Fc" in done.stderr and "README" in done.stderr
    assert "+psycopg" not in done.stderr  # a URL pg_dump understands
    assert not (tmp_path / "palabre.db").exists()
