"""What a request must look like before any view reads it: ids in range, no NUL character.

A row id in a URL is a positive whole number that fits the database's INTEGER column, written
in ASCII digits: anything else (0, 2**63, 10**30, Arabic-Indic digits) matches no route and is
a 404, never a database error. A NUL character in a form field or the query string is refused
with a 400 in one place: PostgreSQL cannot store it in text, and no person types one.
"""
from __future__ import annotations

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter

from .errors import InvalidInput

MAX_ROW_ID = 2**31 - 1  # INTEGER on PostgreSQL; SQLite's is wider


class RowIdConverter(IntegerConverter):
    """`<int:...>` in every route: 1 to MAX_ROW_ID, ASCII digits only."""

    regex = r"[0-9]{1,10}"

    def __init__(self, map, fixed_digits=0, min=1, max=MAX_ROW_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=False)


def has_nul(values) -> bool:
    return any("\x00" in key or any("\x00" in v for v in vals) for key, vals in values.lists())


def init_app(app: Flask) -> None:
    """Call before the blueprints are registered: their rules take the converter then."""
    app.url_map.converters["int"] = RowIdConverter

    @app.before_request
    def _refuse_nul():
        if has_nul(request.args) or (request.method in ("POST", "PUT", "PATCH")
                                     and has_nul(request.form)):
            raise InvalidInput(_l("What you sent holds an invisible control character (NUL) "
                                  "that is not allowed. Type it again, without copying it "
                                  "from elsewhere."))
