"""POST /api/v1/tokens (sign in, get a bearer token) and DELETE /api/v1/tokens/current."""
from __future__ import annotations

from flask import request

from ..errors import SignInThrottled, Unauthenticated
from ..extensions import db
from ..services import api_tokens
from . import auth
from .blueprint import Blueprint
from .inputs import TokenRequest
from .outputs import TokenOut

bp = Blueprint("api_tokens", __name__, url_prefix="/api/v1/tokens", public=True,
               description="Bearer tokens: the API never accepts the browser's session cookie.")


@bp.post("")
@bp.arguments(TokenRequest)
@bp.response(201, TokenOut)
@bp.doc(security=[])
def issue(body):
    """Sign in with a username and password (and the two-factor code where the account has
    one); the token is shown once.

    Six failed attempts in 15 minutes for a name close it for 15 minutes (429), as on the
    sign-in page.
    """
    try:
        row, token = api_tokens.issue(body["username"], body["password"], body.get("code"),
                                      address=request.remote_addr, name=body.get("name", ""))
    except (Unauthenticated, SignInThrottled):
        db.session.commit()  # the failed attempt is an event: throttling counts it
        raise
    db.session.commit()
    return {"token": token, "expires_at": row.expires_at, "name": row.name}


@bp.delete("/current")
@bp.response(204)
def revoke_current():
    """Revoke the token this request carries."""
    auth.authenticate()
    api_tokens.revoke(auth.user(), auth.token())
    db.session.commit()
    return None
