"""The dashboard's figures read from the summary tables (models/summary.py), which the services
keep in the same transaction as each change (services/summaries.py): for every commune, their
totals over all communes (a few hundred rows a year); for some, the rows of those communes; for
the cases open now, one row per commune and state; for the entries into states, the agreements
checked and the time limits, rows per commune.

They give the same numbers as the live queries of figures.py, which stay the reference (the
tests compare both, and `flask verify-figures` recounts the tables), when the filters allow:
whole months (`usable`), no filter on what the cases are, and, for what is open, the end of the
period not past (`end_of` None).
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import case as when
from sqlalchemy import func, select

from ..access import in_communes
from ..clock import utcnow
from ..extensions import db
from ..models import (
    AgreementCheck,
    CaseMonth,
    CaseState,
    CaseTotal,
    EntryMonth,
    EntryState,
    LimitMonth,
    PartyMonth,
    PartyTotal,
    TeamMonth,
    TeamTotal,
)
from ..workflow_registry import open_states
from . import figures
from .filters import CaseFilters
from .states import tagged


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


# -- what happened: the entries into states, the agreements checked ------------------------

def _entries(scope, months):
    """(the entries to read, its conditions): per commune and state over every month when the
    period is open at both ends, else per commune, month and state within it."""
    first, last = months
    if first is None and last is None:
        return EntryState, in_communes(EntryState.commune_id, scope)
    return EntryMonth, [*in_communes(EntryMonth.commune_id, scope),
                        *([EntryMonth.month >= first] if first else []),
                        *([EntryMonth.month <= last] if last else [])]


def _by_tag(model, tags):
    return [func.coalesce(func.sum(when((tagged(model.state, tag), model.entries), else_=0)), 0)
            for tag in tags]


def plan_progress(scope, months, tags) -> list[tuple[int, str, int]]:
    """(commune, a tag of `tags`, entries into a state of it in the months), as
    figures.plan_progress."""
    model, where = _entries(scope, months)
    return [(commune_id, tag, count) for commune_id, *counts in db.session.execute(
                select(model.commune_id, *_by_tag(model, tags)).where(*where)
                .group_by(model.commune_id))
            for tag, count in zip(tags, counts, strict=True) if count]


def flows(scope, months, tags) -> dict[str, int]:
    """Entries into a state of each of `tags` in the months, as figures.flows."""
    model, where = _entries(scope, months)
    counts = db.session.execute(select(*_by_tag(model, tags)).where(*where)).one()
    return dict(zip(tags, counts, strict=True))


def follow_ups(scope) -> list[tuple[int, int, int]]:
    """(commune, agreements checked by a visit whenever, of which found broken), as
    figures.follow_ups over an open period."""
    total = func.sum(AgreementCheck.agreements)
    broken = func.sum(when((AgreementCheck.found == "broken", AgreementCheck.agreements),
                           else_=0))
    return [(commune_id, int(checked), int(found)) for commune_id, checked, found in
            db.session.execute(select(AgreementCheck.commune_id, total, broken)
                               .where(*in_communes(AgreementCheck.commune_id, scope))
                               .group_by(AgreementCheck.commune_id).having(total > 0))]


def teams(scope, months) -> dict[str, int]:
    """Cases reported in the months with a reconciliation team, and those whose team includes
    a woman, as figures.teams."""
    model, where = _cells(TeamMonth, TeamTotal, scope, months)
    with_team, with_woman = db.session.execute(
        select(func.coalesce(func.sum(model.cases), 0),
               func.coalesce(func.sum(when((model.found == "woman", model.cases), else_=0)), 0))
        .where(*where)).one()
    return {"cases_with_team": with_team, "teams_with_woman": with_woman}


def past_limit(scope, at_end) -> list[tuple[int, int]]:
    """(commune, cases past their time limit now), as figures.past_limit_now: those whose limit
    passed in a month before this one from the summary, those of this month counted live (the
    hour decides). The months are UTC's, as the summary's (sql.month_after)."""
    start = utcnow().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    month = start.strftime("%Y-%m")
    late = Counter({commune_id: n for commune_id, n in db.session.execute(
        select(LimitMonth.commune_id, func.sum(LimitMonth.cases))
        .where(*in_communes(LimitMonth.commune_id, scope), LimitMonth.month < month)
        .group_by(LimitMonth.commune_id))})
    late.update(dict(figures.past_limit_since(at_end, start)))
    return [(commune_id, n) for commune_id, n in late.items() if n]
