"""Signing a test client in, as the sign-in pages would leave its cookie."""
from __future__ import annotations

from casework.sessions import mark_two_factor_passed, start_clock


def signed_in_as(user, client):
    """Sign `user` in on a test client: the cookie as Flask-Login writes it and, for a user
    with two-factor on, as the code step leaves it once the code was right."""
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        start_clock(session)
        if user.has_two_factor:
            mark_two_factor_passed(session, user)
    return client
