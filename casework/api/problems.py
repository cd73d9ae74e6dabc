"""Every error of the API as application/problem+json (RFC 9457), its title in the language of
Accept-Language, with the field errors of a 400 under `errors`."""
from __future__ import annotations

import logging
import uuid

from flask import current_app, json
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields
from werkzeug.exceptions import HTTPException, MethodNotAllowed

from ..error_log import describe
from ..errors import CaseworkError, PossibleDuplicate, SignInThrottled, Unauthenticated
from ..extensions import db

log = logging.getLogger(__name__)

MEDIA_TYPE = "application/problem+json"

TITLES = {
    400: _l("The request is not valid"),
    401: _l("Authentication required"),
    403: _l("You cannot do this"),
    404: _l("Not found"),
    405: _l("This method is not allowed here"),
    409: _l("Conflict with the current state of the case"),
    413: _l("What you sent is too large"),
    415: _l("Send JSON"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
}
DETAILS = {
    400: _l("Check the fields named under errors."),
    401: _l("Send a valid token: Authorization: Bearer <token> (POST /api/v1/tokens gives one)."),
    403: _l("Your role does not allow this action."),
    404: _l("Nothing here, or nothing you have access to."),
    405: _l("See the methods this address accepts in the Allow header."),
    409: _l("Read the case again, then decide."),
    413: _l("Send something smaller."),
    415: _l("This address takes a JSON body (Content-Type: application/json)."),
    429: _l("Wait as long as Retry-After says, then try again."),
    500: _l("The team has been told. Try again in a moment."),
}
# marshmallow's and webargs' messages, as a person reads them in either language.
MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field is required."),
    "Unknown field.": _l("This field is not expected here."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid boolean.": _l("Enter true or false."),
    "Not a valid date.": _l("Enter a date as YYYY-MM-DD."),
    "Not a valid datetime.": _l("Enter a date and time as YYYY-MM-DDTHH:MM:SSZ."),
    "Not a valid list.": _l("Enter a list."),
    "Invalid input type.": _l("Send a JSON object."),
    "Invalid JSON body.": _l("The body is not valid JSON."),
    "Not a valid mapping type.": _l("Send a JSON object."),
}


class Problem(Schema):
    """What every error answers (documentation only: problem() writes it)."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()))
    error_id = fields.String()
    # A report that looks like a recent one (409): its reference, or null if the caller may
    # not open it.
    duplicate_of = fields.String(allow_none=True)


def problem(status: int, detail=None, *, errors: dict | None = None, headers=None,
            **extra):
    near = status if status in TITLES else 400 if 400 <= status < 500 else 500
    body = {"type": "about:blank", "title": str(TITLES[near]), "status": status,
            "detail": str(detail or DETAILS[near])}
    if errors:
        body["errors"] = {name: [str(m) for m in messages] for name, messages in errors.items()}
    body.update(extra)
    response = current_app.response_class(json.dumps(body), status=status, mimetype=MEDIA_TYPE)
    response.headers.update(headers or {})
    return response


def flatten(messages, prefix: str = "") -> dict[str, list]:
    """webargs' nested messages ({"json": {"parties": {0: {"name": [...]}}}}) as
    {"parties.0.name": [...]}, each message in the reader's language."""
    found: dict[str, list] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = "" if key in ("json", "query", "querystring", "_schema") and not prefix \
                else f"{prefix}.{key}" if prefix else str(key)
            for field, texts in flatten(value, name).items():
                found.setdefault(field, []).extend(texts)
        return found
    texts = messages if isinstance(messages, list) else [messages]
    plain = [t for t in texts if not isinstance(t, (dict, list))]
    if plain:
        found[prefix or "body"] = [MESSAGES.get(str(t), t) for t in plain]
    for nested in (t for t in texts if isinstance(t, (dict, list))):
        for field, more in flatten(nested, prefix).items():
            found.setdefault(field, []).extend(more)
    return found


def field_name(name: str) -> str:
    """A service's field (parties-0-name, as the forms name it) as the API names it."""
    return name.replace("-", ".")


def answer(error: BaseException):
    """The problem response for any error raised while serving an API request."""
    if isinstance(error, CaseworkError):
        headers = {}
        if isinstance(error, Unauthenticated):
            headers["WWW-Authenticate"] = 'Bearer realm="palabre"'
        if isinstance(error, SignInThrottled):
            headers["Retry-After"] = str(error.retry_after)
        errors = {field_name(error.field): [error.message]} if error.field else None
        extra = {"duplicate_of": error.reference} if isinstance(error, PossibleDuplicate) \
            else {}
        return problem(error.status, error.message, errors=errors, headers=headers, **extra)
    if isinstance(error, HTTPException):
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        headers = {}
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers["Allow"] = ", ".join(error.valid_methods)
        errors = flatten(data["messages"]) if "messages" in data else None
        return problem(status, errors=errors, headers=headers)
    error_id = uuid.uuid4().hex[:12]
    log.error("unexpected error %s\n%s", error_id, describe(error))
    db.session.rollback()
    return problem(500, error_id=error_id)
