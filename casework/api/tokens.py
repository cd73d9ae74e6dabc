"""POST /api/v1/tokens (sign in, get a bearer token) and DELETE /api/v1/tokens/current."""
from __future__ import annotations

from flask import request

from ..errors import SignInThrottled, Unauthenticated
from ..services import api_tokens
from ..unit_of_work import keep_record
from . import auth
from .blueprint import Blueprint
from .outputs import TokenOut
from .request_schemas import TokenRequest

bp = Blueprint("api_tokens", __name__, url_prefix="/api/v1/tokens", public=True,
               description="Bearer tokens: the API never accepts the browser's session cookie.")


@bp.post("")
@bp.arguments(TokenRequest)
@bp.response(201, TokenOut)
@bp.doc(security=[])
def issue(body):
    """Sign in with a username and password (and the two-factor code where the account has
    one); the token is shown once.

    Throttled as on the sign-in page (429, with Retry-After): after six failures in a row for
    a name from one address, that name waits there a minute, then twice as long after each
    further failure; an address that fails with many names waits for the names that have not
    signed in from it lately.
    """
    try:
        row, token = api_tokens.issue(body["username"], body["password"], body.get("code"),
                                      address=request.remote_addr, name=body.get("name", ""))
    except (Unauthenticated, SignInThrottled):
        keep_record()  # the failed attempt is an event: throttling counts it
        raise
    return {"token": token, "expires_at": row.expires_at, "name": row.name}


@bp.delete("/current")
@bp.response(204)
def revoke_current():
    """Revoke the token this request carries."""
    auth.authenticate()
    api_tokens.revoke(auth.user(), auth.token())
    return None
