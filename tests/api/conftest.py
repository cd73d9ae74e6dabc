"""Callers of the JSON API: a token for a user, and a client that sends it."""
from __future__ import annotations

import secrets
from datetime import timedelta

import pytest

from casework.extensions import db
from casework.models import ApiToken, utcnow
from casework.services import api_tokens

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

    def put(self, path, json=None, **kwargs):
        return self.open("PUT", path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.open("DELETE", path, **kwargs)


@pytest.fixture
def grant():
    """grant(user, days=30) -> a live token of `user`, as POST /api/v1/tokens gives one (the
    token endpoint itself is tested in test_tokens.py, codes and throttling included)."""
    def make(user, days: int = 30) -> str:
        token = secrets.token_urlsafe(32)
        db.session.add(ApiToken(user_id=user.id, token_hash=api_tokens.hash_token(token),
                                expires_at=utcnow() + timedelta(days=days)))
        db.session.commit()
        return token
    return make


@pytest.fixture
def api(client, grant):
    """api(user, language=None) -> a Caller with a token of `user`; api(None): no token."""
    def make(user=None, language: str | None = None) -> Caller:
        return Caller(client, grant(user) if user is not None else None, language)
    return make


def cases_of(response) -> list[str]:
    return [item["reference"] for item in response.get_json()["items"]]
