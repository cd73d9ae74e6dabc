"""The dashboard's figures read from the summary tables (models/summary.py), which the services
keep in the same transaction as each change (services/summaries.py): for every commune, their
totals over all communes (a few hundred rows a year); for some, the rows of those communes; for
the cases open now, one row per commune and state.

They give the same numbers as the live queries of figures.py, which stay the reference (the
tests compare both, and `flask verify-figures` recounts the tables), when the filters allow:
whole months (`usable`), no filter on what the cases are, and, for what is open, the end of the
period not past (`end_of` None).
"""
from __future__ import annotations

from sqlalchemy import func, select

from ..access import in_communes
from ..extensions import db
from ..models import CaseMonth, CaseState, CaseTotal, PartyMonth, PartyTotal
from ..workflow_registry import open_states
from .filters import CaseFilters


def usable(filters: CaseFilters) -> tuple[str | None, str | None] | None:
    """The period's (first, last) month when the summaries can answer for it, else None."""
    months = filters.whole_months()
    return None if months is None or filters.selects_cases else months


def _cells(per_commune, totals, scope, months=(None, None)):
    """(the summary to read, its conditions): the totals over every commune when `scope` is
    every commune, else the rows of its communes."""
    first, last = months
    communes = in_communes(per_commune.commune_id, scope)
    model = per_commune if communes else totals
    return model, [*communes, *([model.month >= first] if first else []),
                   *([model.month <= last] if last else [])]


def reported(scope, months) -> int:
    """Cases reported in the months, as the sum of figures.reported_cases."""
    model, where = _cells(CaseMonth, CaseTotal, scope, months)
    return db.session.scalar(select(func.coalesce(func.sum(model.cases), 0)).where(*where))


def by_type(scope, months) -> list[tuple[str, int]]:
    """(type, cases reported in the months), the most frequent first, as figures.by_type."""
    model, where = _cells(CaseMonth, CaseTotal, scope, months)
    total = func.sum(model.cases)
    return [tuple(row) for row in db.session.execute(
        select(model.conflict_type, total).where(*where)
        .group_by(model.conflict_type).having(total > 0)
        .order_by(total.desc(), model.conflict_type))]


def parties(scope, months) -> list[tuple[str, str, int]]:
    """(sex, age group, parties of the cases reported in the months), as figures.parties."""
    model, where = _cells(PartyMonth, PartyTotal, scope, months)
    total = func.sum(model.parties)
    return [tuple(row) for row in db.session.execute(
        select(model.sex, model.age_group, total).where(*where)
        .group_by(model.sex, model.age_group).having(total > 0))]


def months(scope, months, keys: list[str]) -> dict[str, dict[str, int]]:
    """Cases reported in each month of `keys` within the months, by their state now, as
    figures.months."""
    model, where = _cells(CaseMonth, CaseTotal, scope, months)
    total = func.sum(model.cases)
    found: dict[str, dict[str, int]] = {}
    for key, status, count in db.session.execute(
            select(model.month, model.status, total).where(*where, model.month.in_(keys))
            .group_by(model.month, model.status).having(total > 0).order_by(model.month)):
        found.setdefault(key, {})[status] = count
    return found


def open_cases(scope) -> list[tuple[int, str, int]]:
    """(commune, state, cases open now in it), whenever reported, as figures.open_cases
    without the time limits (which depend on the hour they are read)."""
    return [tuple(row) for row in db.session.execute(
        select(CaseState.commune_id, CaseState.status, CaseState.cases)
        .where(*in_communes(CaseState.commune_id, scope), CaseState.status.in_(open_states()),
               CaseState.cases > 0))]
