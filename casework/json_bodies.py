"""JSON bodies nested deeper than MAX_JSON_DEPTH are refused (400) before any view reads them.

Python's parser gives up on a few thousand nested brackets with a RecursionError, which no
view expects (a 500, on the unauthenticated token endpoint too); and no body Palabre takes
nests more than three levels. The check counts brackets outside strings, stopping at the first
one too deep, so that it costs little on the largest body allowed (MAX_CONTENT_LENGTH).
"""
from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import lazy_gettext as _l

from .errors import InvalidInput

MAX_JSON_DEPTH = 32
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


def too_deep(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether `body` opens more than `limit` arrays or objects inside one another."""
    depth = 0
    for bracket in _BRACKET.finditer(_STRING.sub(b"", body)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        else:
            depth -= 1
    return False


def init_app(app: Flask) -> None:
    @app.before_request
    def _refuse_deep_json():
        if request.is_json and request.content_length != 0 and too_deep(request.get_data()):
            raise InvalidInput(_l("The JSON sent is nested more than %(n)d levels deep.",
                                  n=MAX_JSON_DEPTH))
