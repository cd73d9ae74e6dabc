"""Long requests that write (an upload, a Kobo import) and the writes others make meanwhile, on a
real database (a file for SQLite, where a writer holds the one write lock): both succeed, and
nobody waits for the long one."""
from __future__ import annotations

import io
import threading
import time

import pytest
from sqlalchemy import func, select

from casework.files import content
from casework.models import Attachment, Commune, Event, ImportJob, IntakeRecord, User
from casework.services import two_factor
from tests import filesamples as samples
from tests.factories import PASSWORD, TOTP_SECRET
from tests.intake.samples import as_csv, submission
from tests.signing import signed_in_as

pytestmark = pytest.mark.no_db


@pytest.fixture(scope="module")
def app(site, tmp_path_factory):
    site.app.config.update(WTF_CSRF_ENABLED=False,
                           ATTACHMENTS_DIR=str(tmp_path_factory.mktemp("attachments")))
    with site.writing() as session:  # a coordinator must have a second factor
        two_factor.enrol_with_known_secret(
            session.scalar(select(User).where(User.username == "coord")), TOTP_SECRET)
    return site.app


def signed_in(site, username: str):
    """A client signed in as `username`, past the code step when the account has one."""
    with site.reading() as session:
        user = session.scalar(select(User).where(User.username == username))
        return signed_in_as(user, site.app.test_client())


def sign_in(app, username: str) -> int:
    return app.test_client().post("/login", data={"username": username,
                                                  "password": PASSWORD}).status_code


def failed_sign_in(app) -> int:
    """What an anonymous visitor's wrong password writes: its event (sign-in throttling)."""
    return app.test_client().post("/login", data={"username": "med2",
                                                  "password": "not the password"}).status_code


def timed(work) -> tuple[object, float]:
    started = time.monotonic()
    return work(), time.monotonic() - started


def meanwhile(work) -> tuple[object, float]:
    """Run `work` in another thread and wait for it: its result and how long it took."""
    outcome: list = []
    started = time.monotonic()
    thread = threading.Thread(target=lambda: outcome.append(work()))
    thread.start()
    thread.join(timeout=30)
    return (outcome[0] if outcome else None), time.monotonic() - started


def count(site, model, *where) -> int:
    with site.reading() as session:
        return session.scalar(select(func.count()).select_from(model).where(*where))


def test_an_upload_succeeds_while_someone_else_writes(site, app, monkeypatch):
    """While the photo is being checked, an anonymous wrong password is written. Before, the
    upload's transaction had begun as a read (the signed-in user was loaded before the request
    was marked as a write): it could no longer write, and answered 500."""
    reference = site.new_case("in_mediation")
    uploader = signed_in(site, "med1")
    check, other = content.clean, []

    def check_while_someone_signs_in(data):
        other.append(meanwhile(lambda: failed_sign_in(app)))
        return check(data)

    monkeypatch.setattr(content, "clean", check_while_someone_signs_in)
    failures = count(site, Event, Event.kind == "auth.login_failed")
    response = uploader.post(f"/cases/{reference}/attachments", data={
        "file": (io.BytesIO(samples.png()), "site.png", "image/png"), "description": ""})
    assert response.status_code == 302
    [(status, seconds)] = other
    assert status == 401 and seconds < 5  # answered at once: no lock held while checking
    assert count(site, Attachment) == 1
    assert count(site, Event, Event.kind == "auth.login_failed") == failures + 1


def test_a_1000_row_import_lets_everyone_sign_in_meanwhile(site, app, monkeypatch):
    """The import runs in a thread, 25 rows per transaction. Before, the request imported the
    whole file in one transaction (30 s for 3,000 rows): a sign-in meanwhile waited for
    SQLite's write lock and failed with a 500. A thousand rows take long enough (about 25 s
    here) for a dozen sign-ins to happen meanwhile."""
    monkeypatch.setitem(app.config, "IMPORT_JOBS", "thread")
    with site.reading() as session:
        code = session.scalar(select(Commune.code))
    data = as_csv([submission(code, f"bulk-{n:04d}") for n in range(1000)])
    assert len(data) > 60_000
    coordinator, posted = signed_in(site, "coord"), []
    upload = threading.Thread(target=lambda: posted.append(coordinator.post(
        "/intake/kobo", data={"file": (io.BytesIO(data), "export.csv")},
        content_type="multipart/form-data")))
    upload.start()
    sign_ins, deadline = [], time.monotonic() + 600
    while time.monotonic() < deadline:
        time.sleep(1.5)
        sign_ins.append(timed(lambda: sign_in(app, "med2")))
        with site.reading() as session:
            job = session.scalar(select(ImportJob))
            if job is not None and job.finished and not upload.is_alive():
                break
    upload.join(timeout=60)
    assert posted[0].status_code == 303
    assert job.status == "done" and (job.done, job.created) == (1000, 1000)
    assert count(site, IntakeRecord) == 1000
    assert len(sign_ins) >= 5  # the import lasted a while, and people signed in meanwhile
    assert [status for status, _ in sign_ins] == [302] * len(sign_ins)
    assert max(seconds for _, seconds in sign_ins) < 5, sign_ins


@pytest.mark.parametrize("path, patched, kind", [
    ("/exports/cases.csv", "casework.views.exports.case_table", "export.cases"),
    ("/dashboard/monthly", "casework.views.dashboard.render_template", "export.monthly_report"),
])
def test_a_read_that_records_succeeds_while_someone_else_writes(
        site, app, monkeypatch, path, patched, kind):
    """An export (or a confidential page, a download, a refusal) is a read that writes its
    event. While it read, an anonymous wrong password was written: its transaction, begun as
    a read, could no longer write, and it answered 500 on SQLite (16 simultaneous exports under
    load: three in four). Its event is now written apart, as a writer."""
    module, name = patched.rsplit(".", 1)
    target = __import__(module, fromlist=[name])
    build, other = getattr(target, name), []

    def build_while_someone_signs_in(*args, **kwargs):
        other.append(meanwhile(lambda: failed_sign_in(app)))
        return build(*args, **kwargs)

    monkeypatch.setattr(target, name, build_while_someone_signs_in)
    coordinator = signed_in(site, "coord")
    before = count(site, Event, Event.kind == kind)
    response = coordinator.get(path)
    assert response.status_code == 200
    [(status, _seconds)] = other
    assert status == 401
    assert count(site, Event, Event.kind == kind) == before + 1
