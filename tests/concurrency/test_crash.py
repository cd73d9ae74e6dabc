"""Crash safety: the gunicorn process group is killed (SIGKILL) in the middle of a stream of
reports, transitions, steps and sign-offs; the database must come out sound, with every change
a client saw acknowledged, and the app must start again on it. Five times, on both databases."""
from __future__ import annotations

import random
import threading
import time

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from casework.models import Case, User
from tests.invariants import database_problems, sqlite_file_problems

from .browser import Browser
from .server import Gunicorn
from .site import MEDIATORS
from .stream import Stream, missing

pytestmark = pytest.mark.no_db
ROUNDS = range(5)
STREAMS = 3
WARM_UP_CHANGES = 8  # acknowledged changes before the kill may come
WARM_UP_SECONDS = 30


@pytest.fixture(scope="module")
def restarted(site, tmp_path_factory):
    """The server each round restarts on the database its crash left; the next round uses it."""
    holder = {"server": None, "logs": tmp_path_factory.mktemp("gunicorn")}
    yield holder
    if holder.get("server") is not None:
        holder["server"].stop()


@pytest.mark.parametrize("round_", ROUNDS)
def test_a_killed_server_leaves_a_sound_database(site, restarted, round_):
    with site.reading() as session:
        ids = dict(session.execute(select(User.username, User.id).where(
            User.username.in_(MEDIATORS))).all())
        commune = site.people(session).commune
    server = restarted.pop("server", None) or Gunicorn(site.url, restarted["logs"] / "first.log")
    stop = threading.Event()
    try:
        if server.process is None:
            server.start()
        streams = [Stream(server.base_url, name, ids[name], commune, stop)
                   for name in MEDIATORS[:STREAMS]]
        for stream in streams:
            stream.start()
        deadline = time.monotonic() + WARM_UP_SECONDS
        while sum(sum(s.acknowledged.values()) for s in streams) < WARM_UP_CHANGES:
            assert time.monotonic() < deadline and any(s.is_alive() for s in streams), (
                [s.unexpected for s in streams], server.log())
            time.sleep(0.02)
        time.sleep(random.uniform(0, 0.4))  # anywhere in a request, a commit, a response
        server.kill()
    finally:
        stop.set()
        server.kill()
    for stream in streams:
        stream.join(timeout=30)
        assert not stream.is_alive()
        assert stream.unexpected == [], server.log()
    assert any(stream.cut for stream in streams)  # the kill fell in the middle of requests

    url = make_url(site.url)
    if url.get_backend_name() == "sqlite":
        assert sqlite_file_problems(url.database) == []
    with site.reading() as session:
        assert database_problems(session) == []
        assert [lost for s in streams for lost in missing(session, s.snapshot())] == []
        some_case = session.scalar(select(Case.reference).order_by(Case.id.desc()))

    # The app starts again on that database (start() waits for /healthz) and serves it.
    again = Gunicorn(site.url, restarted["logs"] / f"after-crash-{round_}.log")
    again.start()
    restarted["server"] = again
    assert Browser(again.base_url).sign_in("med1").get(f"/cases/{some_case}").status == 200
