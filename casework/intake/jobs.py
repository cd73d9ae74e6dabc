"""Kobo imports as background jobs: started from a checked file, then run in chunks of a few
dozen rows, each chunk its own short transaction, so that nobody's write waits long.

Who runs a job (IMPORT_JOBS): the notification worker, woken through Redis (`redis`, the
default when REDIS_URL is set; its sweep also takes up a job whose message was lost or whose
worker stopped); a thread of the app server that took the file (`thread`, otherwise); or the
request itself (`inline`, for the tests). `flask import-kobo` runs one on the command line.
A job commits a chunk's cases, its rows' outcomes and its progress together: taken up again,
it goes on after the last chunk committed.
"""
from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import timedelta

import redis
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import and_, or_, select, update

from ..clock import utcnow
from ..database import write_intent
from ..extensions import db
from ..models import ImportJob, ImportOutcome
from ..redis_link import connect
from ..services import events
from . import files, kobo
from .communes import Communes

CHUNK_ROWS = 25
SQLITE_PAUSE_SECONDS = 0.12
# A running job whose progress has not moved for this long was stopped (a restart, a crash).
STALLED_AFTER = timedelta(minutes=5)
DEFAULT_KEY = "palabre:imports"
log = logging.getLogger(__name__)


def queue_key() -> str:
    return current_app.config.get("KOBO_IMPORT_QUEUE_KEY") or DEFAULT_KEY


def _filename(name: str) -> str:
    """The file's own name, without its path or control characters (its extension decides how
    it is read)."""
    name = re.split(r"[/\\]", name or "")[-1]
    return "".join(char for char in name if char.isprintable())[-120:] or "export"


def start(actor, data: bytes, filename: str, *, dry_run: bool, total: int) -> ImportJob:
    """A job for a file already read once (files.read_submissions): flushed, not committed."""
    job = ImportJob(started_by_id=actor.id, filename=_filename(filename), data=data,
                    dry_run=dry_run, total=total, status="queued")
    db.session.add(job)
    db.session.flush()
    return job


def of(user, job_id: int) -> ImportJob | None:
    """The job if `user` started it: nobody else sees its rows."""
    job = db.session.get(ImportJob, job_id)
    return job if job is not None and job.started_by_id == user.id else None


def recent(user, limit: int = 10) -> list[ImportJob]:
    return list(db.session.scalars(select(ImportJob).where(ImportJob.started_by_id == user.id)
                                   .order_by(ImportJob.id.desc()).limit(limit)))


def stalled(job: ImportJob) -> bool:
    return job.status == "running" and job.updated_at < utcnow() - STALLED_AFTER


def report_of(job: ImportJob) -> kobo.ImportReport:
    """The job's outcomes so far, as the report the command line and the page show."""
    report = kobo.ImportReport(total=job.total, dry_run=job.dry_run)
    for outcome in db.session.scalars(select(ImportOutcome).where(ImportOutcome.job_id == job.id)
                                      .order_by(ImportOutcome.row, ImportOutcome.id)):
        if outcome.outcome == "rejected":
            report.rejected.append(kobo.Rejection(outcome.row, outcome.reason or ""))
        else:
            getattr(report, outcome.outcome).append((outcome.row, outcome.reference))
    return report


# -- running ---------------------------------------------------------------------------------

def _claim(job_id: int) -> bool:
    """Take the job: one that waits, or one that stalled; whoever takes it first runs it."""
    now = utcnow()
    taken = db.session.execute(
        update(ImportJob).where(ImportJob.id == job_id, or_(
            ImportJob.status == "queued",
            and_(ImportJob.status == "running", ImportJob.updated_at < now - STALLED_AFTER)))
        .values(status="running", updated_at=now))
    db.session.commit()
    return taken.rowcount == 1


def _chunk(job: ImportJob, actor, rows: list[tuple[int, dict]], communes: Communes) -> None:
    """Import `rows` in one transaction with their outcomes and the job's progress; a trial
    run takes the rows' changes back and keeps their outcomes."""
    report = kobo.ImportReport()
    rows_savepoint = db.session.begin_nested()
    for number, values in rows:
        kobo.import_one(actor, number, values, communes, report)
    if job.dry_run:
        rows_savepoint.rollback()
    else:
        rows_savepoint.commit()
    db.session.add_all(
        [ImportOutcome(job_id=job.id, row=row, outcome="created",
                       reference=None if job.dry_run else reference)
         for row, reference in report.created]
        + [ImportOutcome(job_id=job.id, row=row, outcome="already", reference=reference)
           for row, reference in report.already]
        + [ImportOutcome(job_id=job.id, row=r.row, outcome="rejected", reason=r.reason)
           for r in report.rejected])
    job.done += len(rows)
    job.created += len(report.created)
    job.already += len(report.already)
    job.rejected += len(report.rejected)
    job.updated_at = utcnow()
    db.session.commit()


def _finish(job: ImportJob, actor) -> None:
    job.status, job.data, job.finished_at = "done", None, utcnow()
    if not job.dry_run:
        events.record("intake.kobo_imported", actor=actor, created=job.created,
                      already=job.already, rejected=job.rejected)
    db.session.commit()


def _pause() -> None:
    """Let others write between two chunks. SQLite has one write lock, and a writer waiting
    for it looks again every 100 ms at most: taken again at once, the lock would never be
    free when they look (PostgreSQL queues its waiters)."""
    if db.engine.dialect.name == "sqlite":
        time.sleep(SQLITE_PAUSE_SECONDS)


def _run_claimed(job_id: int, progress: Callable[[int, int], None] | None) -> None:
    job = db.session.get(ImportJob, job_id)
    actor = job.started_by
    data, language = job.data, actor.language
    db.session.commit()  # no transaction, no lock, while the file is read again
    # The rows' reasons are kept in the language of whoever started the import.
    with force_locale(language or current_app.config["BABEL_DEFAULT_LOCALE"]):
        rows = files.read_submissions(data, job.filename, max_rows=max(job.total, 1))
        communes = Communes.load()
        for first in range(job.done, len(rows), CHUNK_ROWS):
            _chunk(job, actor, rows[first:first + CHUNK_ROWS], communes)
            if progress is not None:
                progress(job.done, job.total)
            _pause()
        _finish(job, actor)


def run(job_id: int, progress: Callable[[int, int], None] | None = None) -> bool:
    """Run the job to its end if it is free to take; False when someone else has it. A job
    that fails is marked so, the rows done staying done; the error goes to the log."""
    token = write_intent.set(True)  # each chunk's transaction begins IMMEDIATE on SQLite
    try:
        if not _claim(job_id):
            return False
        try:
            _run_claimed(job_id, progress)
        except Exception:
            db.session.rollback()
            log.exception("Kobo import %s failed", job_id)
            db.session.execute(update(ImportJob).where(ImportJob.id == job_id).values(
                status="failed", data=None, finished_at=utcnow(), updated_at=utcnow()))
            db.session.commit()
        return True
    finally:
        write_intent.reset(token)


def _in_thread(app, job_id: int) -> None:
    with app.app_context():
        try:
            run(job_id)
        finally:
            db.session.remove()


def waiting_ids() -> list[int]:
    """Jobs that wait for a worker: queued, or stalled while running."""
    return list(db.session.scalars(select(ImportJob.id).where(or_(
        ImportJob.status == "queued",
        and_(ImportJob.status == "running",
             ImportJob.updated_at < utcnow() - STALLED_AFTER))).order_by(ImportJob.id)))


def take_up_if_stalled(job: ImportJob) -> None:
    """A job stalled in a thread of an app server that stopped: another thread takes it up (a
    Redis worker's sweep does, with IMPORT_JOBS=redis)."""
    if stalled(job) and current_app.config["IMPORT_JOBS"] == "thread":
        dispatch(job.id)


def dispatch(job_id: int) -> None:
    """Hand a committed job to whoever runs jobs here (IMPORT_JOBS)."""
    how = current_app.config["IMPORT_JOBS"]
    if how == "inline":
        run(job_id)
    elif how == "redis":
        try:
            connect().lpush(queue_key(), str(job_id))
        except redis.RedisError:  # the worker's sweep finds the job all the same
            log.warning("Kobo import %s: Redis unreachable, left for the worker's sweep", job_id)
    else:
        threading.Thread(target=_in_thread, args=(current_app._get_current_object(), job_id),
                         name=f"kobo-import-{job_id}", daemon=True).start()
