"""The one clock of Palabre: every "now" and "today" comes from here, and tests move it.

UTC in the database, Africa/Bamako on screen. Three ways to move the clock:

- `clock_at(moment)` runs a block as if it were `moment` (tests of time limits, the demo's past);
- the environment variable `PALABRE_CLOCK` (an ISO moment, e.g. `2028-02-29T23:45:00+00:00`)
  starts the whole process's clock there, and it runs on from it: `make test` runs the suite
  on a leap day near midnight and a year ahead this way, and the servers the tests start
  inherit it. The production configuration refuses to start with it set;
- nothing: the real time.

No other module calls `datetime.now()`, `date.today()`, `time.time()` or SQL's `now()`
(a lint rule, `TID251` in pyproject.toml, keeps it so).
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Africa/Bamako")
CLOCK_VARIABLE = "PALABRE_CLOCK"


def _real_now() -> datetime:
    return datetime.now(timezone.utc)  # noqa: TID251 (the one real reading of the time)


def _offset_from(value: str | None) -> timedelta:
    """How far the process's clock runs from the real one, read from `PALABRE_CLOCK`."""
    if not value:
        return timedelta(0)
    try:
        start = datetime.fromisoformat(value)
    except ValueError as error:
        raise RuntimeError(f"{CLOCK_VARIABLE}={value!r} is not an ISO moment "
                           "such as 2028-02-29T23:45:00+00:00") from error
    if start.tzinfo is None:
        raise RuntimeError(f"{CLOCK_VARIABLE}={value!r} needs a time zone, "
                           "such as 2028-02-29T23:45:00+00:00")
    return start - _real_now()


_OFFSET = _offset_from(os.environ.get(CLOCK_VARIABLE))
_frozen: ContextVar[datetime | None] = ContextVar("palabre_clock", default=None)


def moved() -> bool:
    """Whether `PALABRE_CLOCK` moved this process's clock (refused in production)."""
    return bool(os.environ.get(CLOCK_VARIABLE))


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware; used as a column default *callable*, evaluated per row."""
    return _frozen.get() or _real_now() + _OFFSET


def filesystem_now() -> float:
    """Now as the file system stamps files, in seconds since 1970: always the real time, for a
    file's modification time is written by the operating system, whatever the clock says."""
    return _real_now().timestamp()


def epoch_seconds() -> int:
    """Now as whole seconds since 1970 (session stamps, throttling windows)."""
    return int(utcnow().timestamp())


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run a block as if it were `moment` (demo data with a past, tests of time limits)."""
    if moment.tzinfo is None:
        raise ValueError("clock_at needs an aware datetime")
    token = _frozen.set(moment)
    try:
        yield
    finally:
        _frozen.reset(token)


def frozen() -> datetime | None:
    """The moment `clock_at` holds in this context, if any (the test client carries it into
    the requests a test makes, as each runs in a fresh context)."""
    return _frozen.get()


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def local_now() -> datetime:
    return local(utcnow())


def local_today() -> date:
    return local_now().date()


def day_start(day: date) -> datetime:
    """The first instant of a Bamako day, as an aware UTC datetime (for comparing timestamps)."""
    return datetime.combine(day, time.min, LOCAL_TZ).astimezone(timezone.utc)
