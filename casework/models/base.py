"""Shared by every model: UTC timestamps that read back aware, ids never reused, the clock."""
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


# SQLite reuses the id of a deleted last row unless told otherwise; an id in the event log
# or a case reference must always mean one thing, so no table reuses ids.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}

_clock: ContextVar[datetime | None] = ContextVar("palabre_clock", default=None)


def utcnow() -> datetime:
    """Now, in UTC, timezone-aware; used as a column default *callable*, evaluated per row."""
    return _clock.get() or datetime.now(timezone.utc)


@contextmanager
def clock_at(moment: datetime) -> Iterator[None]:
    """Run a block as if it were `moment` (demo data with a past, tests of time limits)."""
    if moment.tzinfo is None:
        raise ValueError("clock_at needs an aware datetime")
    token = _clock.set(moment)
    try:
        yield
    finally:
        _clock.reset(token)


class UTCDateTime(TypeDecorator):
    """Stores naive UTC on every database and always reads back an aware UTC datetime."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given where UTC is expected")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)
