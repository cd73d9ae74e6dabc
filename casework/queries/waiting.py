"""The number beside "Mon travail" in the menu of every page: every item of every source of
`queries/worklist.py`, counted in one statement from the same SQL as the page's counts, so the
menu and the page never disagree (tests/notifications/test_menu_count.py)."""
from __future__ import annotations

from .worklist import waiting_count


def menu_count(user) -> int:
    return waiting_count(user)
