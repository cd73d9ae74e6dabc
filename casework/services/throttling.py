"""Sign-in throttling: after LOGIN_MAX_FAILURES failed attempts in LOGIN_WINDOW_MINUTES on one
username (or LOGIN_MAX_FAILURES_PER_ADDRESS from one address), it waits LOGIN_WINDOW_MINUTES,
even with the right password.

Counted by the name typed, whether or not such an account exists, so that the answer never
tells whether a username is real. The failures are the `auth.login_failed` events (a wrong
password) and the `auth.mfa_failed` events of the code step (a wrong two-factor code after the
right password), both carrying the username and the address.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select

from ..extensions import db
from ..models import Event, utcnow

FAILURES = ("auth.login_failed", "auth.mfa_failed")


def _locked_until(moments: list[datetime], limit: int, window: timedelta) -> datetime | None:
    """The end of the wait started by the latest run of `limit` failures within `window`."""
    moments = sorted(moments)
    ends = [last + window for first, last in zip(moments, moments[limit - 1:], strict=False)
            if last - first <= window]
    return max(ends, default=None)


def locked_until(username: str, address: str | None) -> datetime | None:
    """When sign-in opens again for this username and address, or None if it is open."""
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    now = utcnow()
    typed, origin = Event.data["username"].as_string(), Event.data["address"].as_string()
    recent = db.session.execute(
        select(Event.created_at, typed, origin)
        .where(Event.kind.in_(FAILURES), Event.created_at >= now - 2 * window,
               or_(typed == username, origin == address) if address else typed == username)
    ).all()
    ends = [end for end in (
        _locked_until([at for at, name, _ in recent if name == username],
                      config["LOGIN_MAX_FAILURES"], window),
        _locked_until([at for at, _, where in recent if address and where == address],
                      config["LOGIN_MAX_FAILURES_PER_ADDRESS"], window))
        if end is not None and end > now]
    return max(ends, default=None)
