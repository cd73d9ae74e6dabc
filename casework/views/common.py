"""What every blueprint shares: load a case through access (else 404), commit once, map errors."""
from __future__ import annotations

import re
from collections.abc import Callable
from contextlib import contextmanager

from flask import abort, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from .. import access
from ..errors import Conflict, InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case
from ..services import events
from ..sessions import SAFE_METHODS

REFERENCE = re.compile(r"^[A-Z]{2,6}-\d{4}-\d{4,6}$")


def case_or_404(reference: str, user=None) -> Case:
    """The case if the signed-in user (or `user`: the API's caller) may see it; 404 otherwise,
    with the denial logged.

    A request that may change the case (any POST: transition, sign-off, step, follow-up, team)
    loads it locked, so that two such requests on one case run one after the other and the
    second sees what the first did (its service then answers with a precise 409).
    """
    user = current_user if user is None else user
    if not REFERENCE.match(reference or ""):
        abort(404)
    case = access.find_case(user, reference, for_update=request.method not in SAFE_METHODS)
    if case is None:
        _log_denied(reference, user)
        abort(404)
    return case


def _log_denied(reference: str, user) -> None:
    case_id = db.session.scalar(select(Case.id).where(Case.reference == reference))
    if case_id is None:
        return
    db.session.rollback()
    events.record("access.denied", actor=user, case=db.session.get(Case, case_id),
                  reference=reference)
    db.session.commit()


def refuse_as_missing(case: Case, **details) -> None:
    """404 for something of a visible case that this user may not see, with the denial logged."""
    db.session.rollback()
    events.record("access.denied", actor=current_user, case=case, reference=case.reference,
                  **details)
    db.session.commit()
    abort(404)


@contextmanager
def collisions_as_conflict():
    """A write that collided with a concurrent one (a stale version, a unique key), whether at
    a flush inside the service or at the commit, becomes a 409, never an overwrite or a 500."""
    try:
        yield
    except (StaleDataError, IntegrityError) as error:
        db.session.rollback()
        raise Conflict(_l("Someone else changed the same thing at the same moment. Check "
                          "what is there now, then try again.")) from error


def commit() -> None:
    """Commit the request's unit of work; a concurrent change becomes a 409, never an overwrite."""
    with collisions_as_conflict():
        db.session.commit()


def perform(form, operation: Callable[[], object], *, case: Case | None = None) -> int | None:
    """Run a service and commit; None on success, else the status to re-render the form with.

    A field error comes back next to its field (400); a conflict keeps everything typed and
    says what happened (409), with the form now pointing at the case's current version.
    """
    try:
        with collisions_as_conflict():
            operation()
            db.session.commit()
        return None
    except InvalidInput as error:
        db.session.rollback()
        field = getattr(form, error.field, None) if error.field else None
        if field is None and error.field and "-" in error.field:
            field = _nested_field(form, error.field)
        if field is not None:
            field.errors = [*field.errors, error.message]
        else:
            form.form_errors.append(error.message)
        return error.status  # 400, or 413 for a file over its limit
    except Conflict as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        if case is not None and hasattr(form, "version"):
            form.version.data = case.version
        return 409


def _nested_field(form, name: str):
    """parties-1-name -> form.parties[1].form.name"""
    parts = name.split("-")
    field = getattr(form, parts[0], None)
    try:
        entry = field[int(parts[1])]
        return getattr(entry.form, parts[2])
    except (TypeError, IndexError, ValueError, AttributeError):
        return None


def handle_form(form, operation: Callable[[], object], *, case: Case | None = None) -> int | None:
    """None when a submitted form's operation succeeded; else the status to render the form with."""
    if form.validate_on_submit():
        return perform(form, operation, case=case)
    return 400 if form.is_submitted() else 200


def opening(allowed: bool, message) -> None:
    """When a form is first opened (GET), refuse it now rather than after it is filled in.

    A submitted form goes to the service, which answers 409 to a double click or a race and
    403 to a role that may not act.
    """
    if request.method == "GET" and not allowed:
        raise NotPermitted(message)
