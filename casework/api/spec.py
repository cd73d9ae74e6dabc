"""The OpenAPI description: flask-smorest's Api, whose error responses are problem+json."""
from __future__ import annotations

import http

from flask_smorest import Api as SmorestApi
from flask_smorest.utils import prepare_response

from .problems import MEDIA_TYPE, Problem


class Api(SmorestApi):
    ERROR_SCHEMA = Problem

    def _register_error_handlers(self):
        """None: casework.api.problems answers an API request's errors with a problem (the app's
        error handlers hand them over, see error_pages.answer_some_requests)."""

    def _register_responses(self):
        """Every error response (and the default one) is documented as a problem."""
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "An error, as application/problem+json",
                    "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)
