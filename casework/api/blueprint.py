"""What every blueprint of the API shares: 400 (not 422) for a body that does not validate,
415 for a body that is not JSON, the bearer token where one is needed, and nothing cached."""
from __future__ import annotations

from flask import abort, request
from flask_smorest import Blueprint as SmorestBlueprint
from webargs.flaskparser import FlaskParser

from ..sessions import SAFE_METHODS
from . import auth


class Parser(FlaskParser):
    DEFAULT_VALIDATION_STATUS = 400


def is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (mimetype.startswith("application/")
                                              and mimetype.endswith("+json"))


class Blueprint(SmorestBlueprint):
    ARGUMENTS_PARSER = Parser()

    def __init__(self, name: str, import_name: str, *, public: bool = False, **options):
        super().__init__(name, import_name, **options)
        self.before_request(self._refuse_other_bodies)
        if not public:
            self.before_request(self._authenticate)

    @staticmethod
    def _refuse_other_bodies():
        """A request that sends something sends JSON."""
        if request.method not in SAFE_METHODS and (request.content_length or request.mimetype) \
                and not is_json(request.mimetype):
            abort(415)

    @staticmethod
    def _authenticate():
        auth.authenticate()
