"""The app's keys: SECRET_KEY, long and random in production, and the SMS digests' own key.

SECRET_KEY signs the session cookies. The event log keeps a keyed digest of each SMS sender's
number: with a guessable key, the few hundred million numbers of Mali are soon all tried and
the numbers are back. So the digests have their own key (PALABRE_SMS_DIGEST_KEY), required in
production once the SMS webhook is open and derived from SECRET_KEY elsewhere.

Digests written before this key existed were keyed with SECRET_KEY: they no longer match the
digests of the same numbers. Only the hourly count of messages per sender reads them back, so
after the upgrade each sender's count starts again; the older events keep their old digests.
"""
from __future__ import annotations

import hashlib
import hmac

from flask import Flask

MIN_LENGTH = 32
# A random key shows many different characters; "x" * 40 or "palabrepalabre..." does not. Not
# 16: one key in four written by `openssl rand -hex 32` lacks one of the 16 hex digits.
MIN_DISTINCT = 12
GENERATE = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


def _require_strong(name: str, value: str) -> None:
    if len(value) < MIN_LENGTH or len(set(value)) < MIN_DISTINCT:
        raise RuntimeError(
            f"{name} is too weak for production: it needs at least {MIN_LENGTH} random "
            f"characters (at least {MIN_DISTINCT} different ones). Generate one with "
            f"`{GENERATE}` and set it in the environment.")


def sms_intake_open(config) -> bool:
    return bool(config.get("SMS_WEBHOOK_SECRET") or config.get("TWILIO_AUTH_TOKEN"))


def derived_digest_key(secret_key: str) -> str:
    """A key of its own for the SMS digests, where none is configured (development, tests)."""
    return hmac.new(secret_key.encode(), b"palabre: SMS sender digests",
                    hashlib.sha256).hexdigest()


def init_app(app: Flask) -> None:
    config = app.config
    secret_key = config.get("SECRET_KEY")
    if not secret_key:
        raise RuntimeError("SECRET_KEY is not set: export a long random SECRET_KEY before "
                           f"starting Palabre (`{GENERATE}`), or PALABRE_ENV=development on "
                           "a laptop.")
    strict = config.get("REQUIRE_STRONG_KEYS", False)
    if strict:
        _require_strong("SECRET_KEY", secret_key)
    digest_key = config.get("SMS_DIGEST_KEY")
    if not digest_key:
        if strict and sms_intake_open(config):
            raise RuntimeError("PALABRE_SMS_DIGEST_KEY is not set while the SMS webhook is "
                               "open: the senders' digests need a key of their own. Generate "
                               f"one with `{GENERATE}`.")
        config["SMS_DIGEST_KEY"] = derived_digest_key(secret_key)
    elif strict:
        _require_strong("PALABRE_SMS_DIGEST_KEY", digest_key)
        if digest_key == secret_key:
            raise RuntimeError("PALABRE_SMS_DIGEST_KEY must differ from SECRET_KEY. Generate "
                               f"one with `{GENERATE}`.")
