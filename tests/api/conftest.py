"""Callers of the JSON API: a token for a user, and a client that sends it."""
from __future__ import annotations

import pytest

PROBLEM = "application/problem+json"


class Caller:
    """The test client, each request carrying `token` (and Accept-Language when given)."""

    def __init__(self, client, token: str | None, language: str | None = None):
        self.client, self.token, self.language = client, token, language

    def headers(self, extra=None) -> dict:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        if self.language:
            headers["Accept-Language"] = self.language
        headers.update(extra or {})
        return headers

    def open(self, method: str, path: str, *, headers=None, **kwargs):
        return self.client.open(path, method=method, headers=self.headers(headers), **kwargs)

    def get(self, path, **kwargs):
        return self.open("GET", path, **kwargs)

    def post(self, path, json=None, **kwargs):
        return self.open("POST", path, json=json, **kwargs)

    def patch(self, path, json=None, **kwargs):
        return self.open("PATCH", path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):
        return self.open("PUT", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.open("DELETE", path, **kwargs)


@pytest.fixture
def api(client, grant):
    """api(user, language=None) -> a Caller with a token of `user`; api(None): no token."""
    def make(user=None, language: str | None = None) -> Caller:
        return Caller(client, grant(user) if user is not None else None, language)
    return make


def cases_of(response) -> list[str]:
    return [item["reference"] for item in response.get_json()["items"]]
