"""Bearer tokens of the JSON API: issued for a password (and the code where two-factor is on),
found by their hash, revoked one by one (all at once when the account's credentials change:
accounts.revoke_api_tokens).

A token is 32 random bytes, shown once; only its SHA-256 is stored. It works until it expires
(API_TOKEN_DAYS), is revoked, or its owner is disabled, must change their password, or must
set up two-factor authentication first.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from .. import access
from ..clock import utcnow
from ..errors import NotPermitted, Unauthenticated
from ..extensions import db
from ..models import ApiToken, User
from . import accounts, events, two_factor

TOKEN_BYTES = 32
# Longest token accepted in a header: token_urlsafe(32) is 43 characters.
MAX_TOKEN_LENGTH = 100
# last_used_at is written at most this often per token, sparing a write on every request.
USE_RESOLUTION = timedelta(minutes=1)


def hash_token(token: str) -> str:
    # 256 random bits: a plain SHA-256 cannot be reversed by trying tokens, and needs no salt.
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


# A donor reads the programme report on its page: the API serves the case work only.
FIGURES_ONLY = _l("Your account shows the programme report only: the API is not open to it.")


def usable(user: User) -> bool:
    """Whether `user` may work through the API now (the browser's gates, as a yes or no)."""
    return (user.active and not user.must_change_password
            and (user.has_two_factor or not access.requires_two_factor(user)))


def issue(username: str, password: str, code: str | None, *, address: str | None = None,
          name: str = "") -> tuple[ApiToken, str]:
    """A new token for these credentials: (its row, the token itself, shown once).

    Counted by sign-in throttling exactly like the sign-in page (SignInThrottled past the
    limit); a wrong password, or a wrong code, raises Unauthenticated once its failure event
    is recorded (the caller commits it).
    """
    user = accounts.authenticate(username, password, address)
    if user is None:
        raise Unauthenticated(_l("Wrong username or password."))
    if user.has_two_factor:
        if not code:
            raise Unauthenticated(_l("This account uses two-factor authentication: send the "
                                     "code the app shows now in the field code."))
        method = two_factor.verify(user, code, address, purpose="api_token")
        if method is None:
            raise Unauthenticated(_l("This code is not valid. Type the code the app shows now."))
        accounts.complete_sign_in(user, method, address=address)
    if user.must_change_password:
        raise NotPermitted(_l("Change your password on the sign-in page first; a token is "
                              "given after that."))
    if access.figures_only(user):
        raise NotPermitted(FIGURES_ONLY)
    if not usable(user):
        raise NotPermitted(_l("Your role requires two-factor authentication: set it up on the "
                              "sign-in page first; a token is given after that."))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    row = ApiToken(user_id=user.id, token_hash=hash_token(token), name=(name or "").strip(),
                   expires_at=utcnow() + timedelta(days=current_app.config["API_TOKEN_DAYS"]))
    db.session.add(row)
    db.session.flush()
    events.record("auth.token_issued", actor=user, token_id=row.id,
                  expires_at=row.expires_at.isoformat())
    return row, token


def find(token: str | None) -> ApiToken | None:
    """The live token row for `token`, if its owner may use the API now; else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    row = db.session.scalar(select(ApiToken).where(
        ApiToken.token_hash == hash_token(token), ApiToken.revoked_at.is_(None),
        ApiToken.expires_at > utcnow()))
    if row is None or not usable(row.user):
        return None
    return row


def use_to_note(row: ApiToken) -> bool:
    """Whether this use of the token is to be written down: last_used_at is kept to the
    minute, sparing a write on every request."""
    return row.last_used_at is None or utcnow() - row.last_used_at >= USE_RESOLUTION


def mark_used(token_id: int) -> None:
    """Note that the token is used now (unless a concurrent request just did). The caller runs
    it apart from the request (unit_of_work.apart): the request's failure does not undo it."""
    now = utcnow()
    db.session.execute(update(ApiToken).where(
        ApiToken.id == token_id,
        or_(ApiToken.last_used_at.is_(None), ApiToken.last_used_at < now - USE_RESOLUTION))
        .values(last_used_at=now).execution_options(synchronize_session=False))


def revoke(actor: User, row: ApiToken) -> None:
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        events.record("auth.token_revoked", actor=actor, token_id=row.id)
        db.session.flush()
