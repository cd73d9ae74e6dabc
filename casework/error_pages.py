"""Error pages in the person's language, with an error id and never a traceback."""
from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from flask import Flask, current_app, render_template, session
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from . import kept_forms
from .error_log import describe
from .errors import CaseworkError
from .extensions import db
from .sessions import end_session

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


OTHER_ANSWERS = "palabre.error_answers"


def answer_some_requests(app: Flask, applies: Callable[[], bool],
                         answer: Callable[[BaseException], object]) -> None:
    """Errors of the requests for which `applies()` is true are answered by `answer`, not as a
    page: the JSON API answers its own as problems."""
    app.extensions.setdefault(OTHER_ANSWERS, []).append((applies, answer))


def _answered_elsewhere(error: BaseException):
    for applies, answer in current_app.extensions.get(OTHER_ANSWERS, ()):
        if applies():
            return answer(error)
    return None


def init_app(app: Flask) -> None:
    """The answer to every error. What the request wrote is rolled back, or kept, by the
    request's end (casework/unit_of_work.py), not here."""
    @app.errorhandler(CSRFError)
    def _csrf(error):
        elsewhere = _answered_elsewhere(error)
        if elsewhere is not None:
            return elsewhere
        ended = kept_forms.ended_user(session)
        if ended is not None:  # refused because the session ended: keep it for its author
            return end_session(ended)
        return render_error(400, _l("The form expired or was already sent. Open the page "
                                    "again and send it once more."))

    @app.errorhandler(CaseworkError)
    def _refused(error: CaseworkError):
        elsewhere = _answered_elsewhere(error)
        if elsewhere is not None:
            return elsewhere
        return render_error(error.status, error.message)

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        elsewhere = _answered_elsewhere(error)
        if elsewhere is not None:
            return elsewhere
        return render_error(error.code or 500)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        if app.testing and not app.config.get("RENDER_UNEXPECTED_ERRORS"):
            raise error  # let the test see the real failure
        elsewhere = _answered_elsewhere(error)
        if elsewhere is not None:
            return elsewhere
        error_id = uuid.uuid4().hex[:12]
        log.error("unexpected error %s\n%s", error_id, describe(error))
        db.session.rollback()
        return render_error(500, error_id=error_id)
