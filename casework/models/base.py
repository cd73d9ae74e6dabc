"""Shared by every model: UTC timestamps that read back aware, and ids never reused."""
from datetime import timezone

from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator

# SQLite reuses the id of a deleted last row unless told otherwise; an id in the event log
# or a case reference must always mean one thing, so no table reuses ids.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


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
