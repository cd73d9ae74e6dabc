"""One commit point per request, command and job: the work is committed once, when it ended well,
and rolled back whole when it failed, so that an operation is all or nothing.

Services add and flush rows and events; they never commit. A request (a page, a form, an API
call) is committed after its answer is ready when that answer is a success (below 400), and
rolled back otherwise: a service that raises after writing leaves nothing. A refusal whose
record must stand (a failed sign-in that throttling counts, a denied access the audit keeps)
says so with `keep_record()`. A collision with a concurrent change found at the commit is a
409, never an overwrite. A flask command runs under `command`, and commits once at its end; a
write that must stand apart from its request runs under `apart`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager
from functools import wraps
from typing import TypeVar

from flask import Flask, current_app, g
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .database import write_intent
from .errors import CaseworkError, Conflict
from .extensions import db

T = TypeVar("T")
COLLIDED = _l("Someone else changed the same thing at the same moment. Check what is there "
              "now, then try again.")


@contextmanager
def collisions_as_conflict():
    """A write that collided with a concurrent one (a stale version, a unique key), at a flush
    or at the commit, becomes a Conflict (409), never an overwrite or a 500."""
    try:
        yield
    except (StaleDataError, IntegrityError) as error:
        db.session.rollback()
        raise Conflict(COLLIDED) from error


def flushed(operation: Callable[[], T]) -> T:
    """Run one service call and flush it at once, so that a collision with a concurrent change
    is a Conflict (409) here, with the caller still able to answer it, not at the commit."""
    with collisions_as_conflict():
        result = operation()
        db.session.flush()
    return result


def keep_record() -> None:
    """The request answers with an error, but what its session holds now is the record of the
    refusal (a failed sign-in or code, a denied access), which stands: it is committed."""
    g.palabre_keep_record = True


def after_commit(callback: Callable[[], object]) -> None:
    """Run `callback` once the request's work is committed (hand a new job to its worker, who
    must find its row), and never if the request's work is rolled back."""
    g.setdefault("palabre_after_commit", []).append(callback)


def _end_of_request(response):
    keep = g.pop("palabre_keep_record", False)
    callbacks = g.pop("palabre_after_commit", [])
    if response.status_code >= 400 and not keep:
        db.session.rollback()
        return response
    try:
        with collisions_as_conflict():
            db.session.commit()
    except Conflict as conflict:
        return current_app.make_response(current_app.handle_user_exception(conflict))
    for callback in callbacks:
        callback()
    return response


def init_app(app: Flask) -> None:
    """Call after every other module registered its after-request functions: Flask runs them
    in reverse, so the commit runs first, and a 409 that replaces the answer still gets the
    headers every answer gets."""
    app.after_request(_end_of_request)


@contextmanager
def _written_at_the_end():
    """A transaction begun as a writer (IMMEDIATE on SQLite, like a POST's), committed when the
    block ends well, rolled back when it raises or exits."""
    token = write_intent.set(True)
    try:
        yield
        db.session.commit()
    except BaseException:
        db.session.rollback()
        raise
    finally:
        write_intent.reset(token)


def apart(operation: Callable[[], object]):
    """Run `operation` in a transaction of its own, committed at once whatever becomes of the
    request: a write that must neither wait for the request's end nor fall with it (when an
    API token was last used; the secret a two-factor set-up page shows as it opens).

    Call it before the request writes anything: the request's reading transaction is ended
    first, and this one begins as a writer (on SQLite, a read begun before another writer's
    commit could not turn into a write).
    """
    db.session.rollback()
    with _written_at_the_end():
        return operation()


def one_by_one(items: Iterable[T], operation: Callable[[T], object]) -> list[tuple[T, object]]:
    """Run `operation(item)` for each item in a transaction of its own, committed when it ends
    well, rolled back alone when it raises a CaseworkError or collides with a concurrent
    change (a Conflict): the others stand. Returns each item with what `operation` returned,
    or the error. Whatever the caller's session held before is rolled back first."""
    db.session.rollback()
    outcomes = []
    for item in items:
        try:
            with collisions_as_conflict(), _written_at_the_end():
                outcomes.append((item, operation(item)))
        except CaseworkError as error:
            outcomes.append((item, error))
    return outcomes


def command(func: Callable) -> Callable:
    """A flask command's unit of work: its SQLite transaction begins IMMEDIATE (like a POST's),
    and what it did is committed once at its end, or rolled back if it failed or exited."""
    @wraps(func)
    def wrapper(*args, **kwargs):
        with _written_at_the_end():
            return func(*args, **kwargs)
    return wrapper


def checked_first(check: Callable[[], T], *rows) -> T:
    """Run `check` (reading and checking an uploaded file: up to seconds of work on a photo or
    a PDF) with no database transaction open, then read `rows` again, locked, for the write.

    What the request read so far (the user, the case) is let go: nothing was written yet. A
    transaction left open would hold SQLite's write lock (writes begin IMMEDIATE), or a
    PostgreSQL row lock on the case, for those seconds, and every other write would wait. The
    rows are read again in the write's own transaction, so that a change made meanwhile (the
    case closed) is seen by the service's checks.
    """
    if db.session.new or db.session.dirty or db.session.deleted:
        raise RuntimeError("a file is checked before anything is written")
    db.session.rollback()
    result = check()
    for row in rows:  # its own row locked, not those loaded with it (an outer join)
        db.session.refresh(row, with_for_update={"of": type(row)})
    return result
