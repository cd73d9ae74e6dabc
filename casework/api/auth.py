"""Who calls the API: the owner of the bearer token, never the browser's session cookie."""
from __future__ import annotations

from flask import g, request
from flask_babel import lazy_gettext as _l

from .. import access, unit_of_work
from ..errors import NotPermitted, Unauthenticated
from ..extensions import db, login_manager
from ..models import ApiToken, User
from ..services import api_tokens
from ..services.api_tokens import FIGURES_ONLY
from .scope import in_api


def ignore_the_session_cookie() -> None:
    """Before any other hook reads `current_user`: under /api/ it is nobody, whatever cookie
    came along, so that no session gate (clock, password change, second factor) acts there and
    a page's cookie opens nothing. The API's caller is `user()`, from the token."""
    if in_api():
        g._login_user = login_manager.anonymous_user()


def bearer_token() -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def authenticate() -> User:
    """The token's owner, for the rest of the request; 401 without a live token."""
    token = bearer_token()
    if token is None:
        raise Unauthenticated(_l("Send a token: Authorization: Bearer <token> "
                                 "(POST /api/v1/tokens gives one)."))
    row = api_tokens.find(token)
    if row is None:
        raise Unauthenticated(_l("This token does not work: it expired, was revoked, or its "
                                 "account changed. Ask for a new one."))
    token_id, user_id = row.id, row.user_id
    if api_tokens.use_to_note(row):
        unit_of_work.apart(lambda: api_tokens.mark_used(token_id))
    g.api_token_id, g.api_user_id = token_id, user_id
    user = db.session.get(User, user_id)
    if access.figures_only(user):
        raise NotPermitted(FIGURES_ONLY)
    return user


def user() -> User:
    """The caller of this request (after `authenticate`)."""
    return db.session.get(User, g.api_user_id)


def token() -> ApiToken:
    return db.session.get(ApiToken, g.api_token_id)
