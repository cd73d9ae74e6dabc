"""Time on screen: UTC in the database, Africa/Bamako on screen, dates as dd/mm/yyyy."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

from .models.base import utcnow

LOCAL_TZ = ZoneInfo("Africa/Bamako")


def local_today() -> date:
    return utcnow().astimezone(LOCAL_TZ).date()


def local(moment: datetime) -> datetime:
    return moment.astimezone(LOCAL_TZ)
