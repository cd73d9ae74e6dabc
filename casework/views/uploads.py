"""A larger request size for the routes that take a file (the app caps the others at 1 MB).

URL value preprocessors run before every before_request function, and CSRF protection, one of
those, reads the form: the limit must be raised there, before it. Only a signed-in person gets
the larger limit; a body over it is a 413 whose message says the limit.
"""
from __future__ import annotations

from flask import Blueprint, request
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..errorpages import render_error


def allow_files(bp: Blueprint, endpoints: set[str], limit: int, too_large) -> None:
    """Let `endpoints` of `bp` read `limit` bytes; `too_large` is the message past it."""
    @bp.url_value_preprocessor
    def _allow_a_file(endpoint, _values):
        if endpoint in endpoints and current_user.is_authenticated:
            request.max_content_length = limit

    @bp.errorhandler(RequestEntityTooLarge)
    def _too_large(_error):
        if request.endpoint in endpoints:
            return render_error(413, too_large)
        return render_error(413)
