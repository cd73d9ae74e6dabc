"""Time on screen: UTC in the database, Africa/Bamako on screen, dates as dd/mm/yyyy."""
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from .models.base import utcnow

LOCAL_TZ = ZoneInfo("Africa/Bamako")


def local_today() -> date:
    return utcnow().astimezone(LOCAL_TZ).date()


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)


def day_start(day: date) -> datetime:
    """The first instant of a Bamako day, as an aware UTC datetime (for comparing timestamps)."""
    return datetime.combine(day, time.min, LOCAL_TZ).astimezone(timezone.utc)
