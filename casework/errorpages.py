"""Error pages in the person's language, with an error id and never a traceback."""
from __future__ import annotations

import logging
import traceback
import uuid

from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import StatementError
from werkzeug.exceptions import HTTPException

from .errors import CaseworkError
from .extensions import db

log = logging.getLogger(__name__)

TITLES = {
    400: _l("The request could not be understood"),
    403: _l("You cannot do this"),
    404: _l("Page not found"),
    405: _l("This action is not possible this way"),
    409: _l("The case has changed"),
    413: _l("What you sent is too large"),
    500: _l("Something went wrong on our side"),
    503: _l("The service is not available"),
}
MESSAGES = {
    400: _l("Go back to the previous page and try again."),
    403: _l("Your role does not allow this action on this case."),
    404: _l("This page does not exist, or you do not have access to it."),
    405: _l("Use the buttons of the page instead."),
    409: _l("Someone changed this case while you were working. Open it again to see its "
            "current state."),
    413: _l("Send something smaller."),
    500: _l("The team has been told. Try again in a moment."),
    503: _l("Try again in a moment."),
}


def render_error(status: int, message=None, error_id: str | None = None):
    # quiet_menu: the menu's count is not asked for, the database may be what failed.
    return render_template("errors/error.html", status=status,
                           title=TITLES.get(status, TITLES[500]),
                           message=message or MESSAGES.get(status, MESSAGES[500]),
                           error_id=error_id, quiet_menu=True), status


def describe(error: BaseException) -> str:
    """What failed and where, for the log, without the values involved.

    An exception's message may quote what a person typed (PostgreSQL quotes the value it
    refuses, a KeyError its key), and that may be a party's name: the log keeps the types, the
    SQL statement with its placeholders, the database's error code and the stack, never the
    messages nor the parameters.
    """
    lines, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        if isinstance(current, StatementError):
            code = getattr(current.orig, "sqlstate", None) or getattr(current, "code", "")
            lines.append(f"  database error {code}; statement: {current.statement}")
        lines += ["  " + line.rstrip("\n") for line in
                  traceback.format_list(traceback.extract_tb(current.__traceback__))]
        current = current.__cause__ or current.__context__
    return "\n".join(lines)


def init_app(app: Flask) -> None:
    from .api import in_api
    from .api.errors import answer as api_problem

    @app.errorhandler(CSRFError)
    def _csrf(_error):
        if in_api():
            return api_problem(_error)
        return render_error(400, _l("The form expired or was already sent. Open the page "
                                    "again and send it once more."))

    @app.errorhandler(CaseworkError)
    def _refused(error: CaseworkError):
        if in_api():
            return api_problem(error)
        db.session.rollback()
        return render_error(error.status, error.message)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        if in_api():
            return api_problem(error)
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if app.testing and not app.config.get("RENDER_UNEXPECTED_ERRORS"):
            raise error  # let the test see the real failure
        if in_api():
            return api_problem(error)
        error_id = uuid.uuid4().hex[:12]
        log.error("unexpected error %s\n%s", error_id, describe(error))
        db.session.rollback()
        return render_error(500, error_id=error_id)
