"""What is recorded though nothing changes: a refused access, a confidential case opened, an
export or a printed record; each an event, like every change."""
from __future__ import annotations

from .. import access
from ..models import Case
from . import events


def access_denied(actor, *, case: Case | None = None, case_id: int | None = None,
                  **where) -> None:
    """`actor` asked for something they may not see (a case, a mechanism, a page); a case
    may be named by its id alone (one of another commune, never loaded)."""
    events.record("access.denied", actor=actor, case=case,
                  case_id=case_id if case is None else None, **where)


def case_viewed(actor, case: Case, **how) -> None:
    """Who opened a confidential case, and whether its names showed to them (other cases'
    views are not kept: they would flood the log)."""
    if case.confidential:
        events.record("case.viewed", actor=actor, case=case,
                      identities=access.sees_identities(actor, case), **how)


def exported(kind: str, actor, *, case: Case | None = None, **details) -> None:
    """A file taken out of Palabre: `kind` is cases, dashboard, mechanisms, monthly_report or
    agreement (the conciliation record of a case)."""
    events.record(f"export.{kind}", actor=actor, case=case, **details)
