"""Which requests are the JSON API's: those under /api/, which never use the session cookie."""
from flask import has_request_context, request

PREFIX = "/api/"


def in_api() -> bool:
    return has_request_context() and request.path.startswith(PREFIX)
