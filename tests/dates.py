"""Dates typed into forms, computed from the clock the test runs at: never literals that age."""
from datetime import timedelta

from casework.clock import local_today


def typed(days: int = 0) -> str:
    """Bamako's today moved by `days` (negative: in the past), as a date field sends it."""
    return (local_today() + timedelta(days=days)).isoformat()
