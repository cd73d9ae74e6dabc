"""Sign-in throttling that slows a guesser down without letting a stranger lock anyone out.

Three rules, read from the event log (so that every app server sees the same), where the
failures are the `auth.login_failed` events (a wrong password, for a name that exists or not)
and the `auth.mfa_failed` events of the code step (a wrong code after the right password):

- one name from one address: after LOGIN_MAX_FAILURES failures it waits LOGIN_FIRST_DELAY_SECONDS
  after the last one, twice as long after each further failure, LOGIN_WINDOW_MINUTES at most.
  A sign-in from that address forgets them, and so does LOGIN_MEMORY_HOURS. The same name from
  another address, or after the wait, signs in with the right password: nobody's failures
  close an account for its owner;
- one address: past LOGIN_MAX_FAILURES_PER_ADDRESS failures in LOGIN_WINDOW_MINUTES (someone
  trying many names), it is refused for the names that have not signed in from it within
  LOGIN_KNOWN_DAYS; those who work there go on signing in;
- one name's two-factor codes, from any address: LOGIN_MAX_FAILURES wrong codes in
  LOGIN_WINDOW_MINUTES close its code step for that long. Only someone who knows the password
  reaches the code step, and six codes out of a million are all they get.

Names are counted as typed, whether or not such an account exists, so that the answer never
tells whether a username is real.
"""
from __future__ import annotations

import math
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select

from ..clock import utcnow
from ..errors import SignInThrottled
from ..extensions import db
from ..models import Event, User

FAILURES = ("auth.login_failed", "auth.mfa_failed")
CODE_FAILURE = "auth.mfa_failed"
SIGNED_IN = "auth.login"


def delay_after(failures: int) -> timedelta | None:
    """How long one name waits at one address after `failures` failures in a row there."""
    config = current_app.config
    beyond = failures - config["LOGIN_MAX_FAILURES"]
    if beyond < 0:
        return None
    seconds = config["LOGIN_FIRST_DELAY_SECONDS"] * 2 ** min(beyond, 16)
    return timedelta(seconds=min(seconds, config["LOGIN_WINDOW_MINUTES"] * 60))


def _reopens(moments: list[datetime], limit: int, window: timedelta) -> datetime | None:
    """When fewer than `limit` of `moments` fall in the last `window` again (None: already)."""
    moments = sorted(moments)
    return moments[-limit] + window if len(moments) >= limit else None


def _recent(username: str, address: str | None, now: datetime, code_step: bool) -> list:
    config = current_app.config
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    typed, origin = Event.data["username"].as_string(), Event.data["address"].as_string()
    here = origin == address if address is not None else origin.is_(None)
    named = select(User.id).where(func.lower(User.username) == username)
    wanted = [
        and_(Event.kind.in_(FAILURES), typed == username, here,
             Event.created_at >= now - timedelta(hours=config["LOGIN_MEMORY_HOURS"])),
        and_(Event.kind.in_(FAILURES), here, Event.created_at >= now - window),
        and_(Event.kind == SIGNED_IN, here, Event.actor_id.in_(named),
             Event.created_at >= now - timedelta(days=config["LOGIN_KNOWN_DAYS"])),
    ]
    if code_step:
        wanted.append(and_(Event.kind == CODE_FAILURE, typed == username,
                           Event.created_at >= now - window))
    return db.session.execute(select(Event.kind, Event.created_at, typed, origin)
                              .where(or_(*wanted))).all()


def wait(username: str, address: str | None, *, code_step: bool = False) -> timedelta | None:
    """How long this name waits before its next attempt from this address (None: it may try
    now); `code_step` for a two-factor code, which also counts the name's wrong codes."""
    config = current_app.config
    username = (username or "").lower()
    window = timedelta(minutes=config["LOGIN_WINDOW_MINUTES"])
    now = utcnow()
    rows = _recent(username, address, now, code_step)
    failed_here = [(at, name) for kind, at, name, where in rows
                   if kind in FAILURES and where == address]
    signed_in = [at for kind, at, _, where in rows if kind == SIGNED_IN and where == address]
    since = max(signed_in, default=None)
    in_a_row = sorted(at for at, name in failed_here
                      if name == username and (since is None or at > since))
    ends = []
    if (delay := delay_after(len(in_a_row))) is not None:
        ends.append(in_a_row[-1] + delay)
    if not signed_in:  # a name that signed in from here lately is not held by the address
        ends.append(_reopens([at for at, _ in failed_here if at >= now - window],
                             config["LOGIN_MAX_FAILURES_PER_ADDRESS"], window))
    if code_step:
        ends.append(_reopens([at for kind, at, name, _ in rows
                              if kind == CODE_FAILURE and name == username and at >= now - window],
                             config["LOGIN_MAX_FAILURES"], window))
    until = max((end for end in ends if end is not None and end > now), default=None)
    return None if until is None else until - now


def refusal(waiting: timedelta) -> SignInThrottled:
    """What the person is told: how many minutes to wait (at least one)."""
    minutes = max(1, math.ceil(waiting.total_seconds() / 60))
    return SignInThrottled(_l("Too many failed attempts: try again in %(minutes)d min.",
                              minutes=minutes),
                           retry_after=math.ceil(waiting.total_seconds()))
