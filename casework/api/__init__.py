"""The JSON API under /api/v1: bearer tokens, cases, workflows and dashboard figures, described
by an OpenAPI 3 document generated from the code (flask-smorest) at /api/v1/openapi.json.

It never accepts the browser's session cookie (so it needs no CSRF token), answers every error
as application/problem+json, and goes through the same access rules and services as the pages.
"""
from __future__ import annotations

from flask import Flask
from werkzeug.routing import BaseConverter

from .scope import PREFIX, in_api

__all__ = ["PREFIX", "in_api", "init_app", "register_blueprints"]

REFERENCE_PATTERN = "[A-Z]{2,6}-[0-9]{4}-[0-9]{4,6}"
TRIGGER_PATTERN = "[a-z][a-z0-9_]{0,63}"


class ReferenceConverter(BaseConverter):
    """A case reference in a URL, such as BGN-2026-0012; anything else matches no route."""

    regex = REFERENCE_PATTERN


class TriggerConverter(BaseConverter):
    """A transition's trigger in a URL, named as the workflow engine allows (a lowercase
    identifier): anything else matches no route, before its body is even read."""

    regex = TRIGGER_PATTERN


def init_app(app: Flask) -> None:
    """Call before sessions.init_app: the API's requests must drop the cookie's user before
    the session gates read it."""
    from .. import error_pages
    from . import auth
    from .problems import answer

    app.before_request(auth.ignore_the_session_cookie)
    error_pages.answer_some_requests(app, in_api, answer)

    @app.after_request
    def _never_cached(response):
        if in_api():
            response.headers["Cache-Control"] = "no-store"
        return response


def register_blueprints(app: Flask) -> None:
    from flask_smorest.spec.plugins import integerconverter2paramschema

    from ..extensions import csrf
    from ..request_guards import RowIdConverter
    from . import cases, corrections, dashboard, referrals, tokens, workflow_definitions
    from .spec import Api

    app.url_map.converters["reference"] = ReferenceConverter
    app.url_map.converters["trigger"] = TriggerConverter
    for name, value in (("API_TITLE", "Palabre"), ("API_VERSION", "1"),
                        ("OPENAPI_VERSION", "3.0.3"), ("OPENAPI_URL_PREFIX", "/api/v1"),
                        ("OPENAPI_JSON_PATH", "openapi.json")):
        app.config.setdefault(name, value)
    api = Api(app, spec_kwargs={"info": {"description": __doc__}})
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    api.spec.options["security"] = [{"bearerAuth": []}]
    api.register_converter(RowIdConverter, integerconverter2paramschema)
    for converter, pattern in ((ReferenceConverter, REFERENCE_PATTERN),
                               (TriggerConverter, TRIGGER_PATTERN)):
        api.register_converter(converter, lambda _c, pattern=pattern: {
            "type": "string", "pattern": f"^{pattern}$"})
    for module in (tokens, cases, corrections, workflow_definitions, dashboard, referrals):
        csrf.exempt(module.bp)  # no cookie is accepted, so no cross-site request can act
        api.register_blueprint(module.bp)
