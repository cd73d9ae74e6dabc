"""Two app servers (gunicorn, two workers each, on two ports) over one database, files stored
in it, and clients that go from one to the other: nothing a person does depends on which
server answers. Sessions live in the signed cookie and the user's row, throttling counts the
event log, a two-factor code's use is kept on the user's row, files in `file_chunks`.

PostgreSQL only: several app servers share a database server. On SQLite several servers are
one machine on one file, which the four workers of test_races.py already are; and what is
checked here is the same code on either database."""
from __future__ import annotations

import itertools
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import pytest
from sqlalchemy import func, select

from casework.models import Attachment, FileChunk
from casework.services import two_factor
from config import Config
from tests import filesamples as samples
from tests.factories import PASSWORD

from .browser import Browser, race
from .server import Gunicorn
from .site import MEDIATORS
from .test_races import started_once

pytestmark = [pytest.mark.no_db, pytest.mark.postgres_only]
SECRET = "PALABRETWOSERVERSKEYFORTOTPCODES"
WRONG_CODE = "Ce code n'est pas valable."
THROTTLED = "Trop d'essais manqués : réessayez dans"


class Alternating(Browser):
    """One person whose every request goes to the next server in turn: one cookie jar (a
    cookie belongs to the host, whatever the port), and the server of each answer kept."""

    def __init__(self, *base_urls: str):
        super().__init__(base_urls[0])
        self._turns = itertools.cycle(base_urls)
        self.served: list[str] = []

    def request(self, path, data=None, file=None):
        self.base_url = next(self._turns)
        self.served.append(self.base_url)
        return super().request(path, data, file)


@pytest.fixture(scope="module")
def servers(site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("two-servers")
    env = {"PALABRE_FILE_STORAGE": "database",
           "PALABRE_ATTACHMENTS_DIR": str(folder / "never-written")}
    pair = [Gunicorn(site.url, folder / f"{name}.log", workers=2, env=env, graceful=1)
            for name in ("one", "other")]
    with ThreadPoolExecutor(2) as pool:  # both start, then both stop, at the same time
        try:
            list(pool.map(Gunicorn.start, pair))
            yield (pair[0].base_url, pair[1].base_url, folder,
                   lambda: "\n".join(server.log() for server in pair))
        finally:
            list(pool.map(Gunicorn.stop, pair))


def test_signed_in_on_one_the_pages_come_from_the_other(servers):
    one, other, *_ = servers
    person = Alternating(one, other).sign_in("med1")  # the form from one, the password to other
    pages = [person.get("/cases") for _ in range(4)]
    assert [page.status for page in pages] == [200] * 4
    assert all("Med1" in page.text for page in pages)
    assert person.served == [one, other] * 3


def test_a_logout_on_one_ends_the_session_on_both(servers):
    one, other, *_ = servers
    phone, copy = Browser(one).sign_in("maire"), Browser(other)
    for cookie in phone.jar:
        copy.jar.set_cookie(cookie)
    assert copy.get("/cases").status == 200
    token = phone.get("/cases").hidden["csrf_token"]
    assert phone.post("/logout", {"csrf_token": token}).status == 302
    ended = copy.get("/cases")
    assert ended.status == 302 and "/login" in ended.location


def test_sign_in_throttling_counts_across_both(servers):
    one, other, *_ = servers
    failures = [Browser(server).submit("/login", username="chef", password="pas le bon")
                for server in [one, other] * (Config.LOGIN_MAX_FAILURES // 2)]
    assert [page.status for page in failures] == [401] * Config.LOGIN_MAX_FAILURES
    for server in (one, other):  # even the right password now waits, on both
        refused = Browser(server).submit("/login", username="chef", password=PASSWORD)
        assert refused.status == 429 and THROTTLED in refused.text


@pytest.fixture(scope="module")
def coordinator_with_code(site):
    with site.writing() as session:
        two_factor.enrol_with_known_secret(site.people(session).coordinator, SECRET)
    return "coord"


def test_a_two_factor_code_used_on_one_is_refused_on_the_other(servers, coordinator_with_code):
    one, other, *_ = servers
    first, second = Browser(one), Browser(other)
    for phone in (first, second):
        answer = phone.submit("/login", username=coordinator_with_code, password=PASSWORD)
        assert answer.status == 302 and "/login/code" in answer.location
    code = two_factor.code_at(SECRET, two_factor.time_step())
    assert first.submit("/login/code", code=code).status == 302
    refused = second.submit("/login/code", code=code)
    assert refused.status == 401 and WRONG_CODE in refused.text


def test_an_upload_through_one_downloads_through_the_other(site, servers):
    one, other, folder, _ = servers
    reference = site.new_case("in_mediation")
    person = Alternating(one, other).sign_in("med3")
    token = person.get(f"/cases/{reference}").hidden["csrf_token"]
    sent = samples.pdf(size=2 * 1024 * 1024 + 100)  # three chunks
    answer = person.request(f"/cases/{reference}/attachments", {"csrf_token": token},
                            file=("file", "accord.pdf", "application/pdf", sent))
    assert answer.status == 302, answer.text[:500]
    with site.reading() as session:
        attachment = session.scalars(select(Attachment)).one()
        assert session.scalar(select(func.count()).where(
            FileChunk.stored_name == attachment.stored_name)) == 3
    download = person.get(f"/cases/{reference}/attachments/{attachment.id}")
    assert person.served[-2:] == [other, one]
    assert download.status == 200 and download.data == sent
    assert {name: download.headers[name] for name in (
        "Content-Type", "Content-Length", "Content-Disposition", "Cache-Control")} == {
        "Content-Type": "application/pdf", "Content-Length": str(len(sent)),
        "Content-Disposition": "attachment; filename=accord.pdf", "Cache-Control": "no-store"}
    assert not (folder / "never-written").exists()


@pytest.fixture(scope="module")
def sixteen(servers):
    """Sixteen sessions of the case's team, half of them signed in starting on each server."""
    one, other, *_ = servers
    names = [name for name in MEDIATORS for _ in range(4)]
    return [Alternating(*((one, other) if n % 2 else (other, one))).sign_in(name)
            for n, name in enumerate(names)]


@pytest.mark.parametrize("round_", range(3))
def test_sixteen_transitions_spread_over_both_have_one_effect(site, servers, sixteen, round_):
    reference = site.new_case("reported")
    url = f"/cases/{reference}/actions/start_mediation"
    forms = [person.form(url) for person in sixteen]
    pages = race(*(partial(person.post, url, form)
                   for person, form in zip(sixteen, forms, strict=True)))
    assert {person.served[-1] for person in sixteen} == set(servers[:2])
    started_once(site, reference, pages, servers[3])
