"""The figures on cases, one aggregate query each over the cases the filters select: the
dashboard, the monthly report and the programme report all read them here, so that the three
agree on the same period.

Each function takes the WHERE conditions on cases, made by `counted`: `reported` (reported in
the period), `selected` (whatever the report date: what happened in the period), or `at_end`
(reported by the end of the period: what is open, late or waiting then, read at `end_of`);
it returns plain numbers, per commune where the programme report needs them, so that the
number of queries never grows with the data. Where a figure has a faster way than reading
every row (running totals, counts by index range), the plain query stays here too and the
tests check that both agree.
"""
from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, exists, func, select
from sqlalchemy import case as when
from sqlalchemy.orm import contains_eager

from ..access import in_communes
from ..clock import day_start, local, local_today, utcnow
from ..extensions import db
from ..models import (
    PARTICIPANTS,
    Case,
    CaseStateEntry,
    FollowUp,
    MediationStep,
    ParticipationMonth,
    Party,
    Proposal,
    Referral,
    TeamMember,
    User,
)
from ..workflow_registry import engine, open_states, signing_roles, state_labels
from . import referral_standing as standing
from .checked import CHECKED, UNCOUNTED
from .filters import CaseFilters
from .milestones import visits_due_count
from .sql import month_of
from .states import past_limit, past_limit_from, state_at, tagged

# Which cases (or activities) a figure counts, said beside it on every screen and report.
COUNTS = {
    "reported": _l("Cases reported in the period"),
    "open_at_end": _l("Cases open at the end of the period"),
    "acted": _l("Cases acted on in the period, whenever they were reported"),
    "activities": _l("Activities held in the period"),
    "standing": _l("What stands at the end of the period"),
}

# Tags of the states whose first entry is counted "in the period", in the order shown.
FLOW_TAGS = ("resolved", "referred", "closed", "not_admissible")
# How far a plan has gone in the period: cases taken on, cases resolved (by their states' tags).
PROGRESS_TAGS = ("in_mediation", "resolved")
OLDEST_PROPOSALS_SHOWN = 10
MONTHS_SHOWN = 12


def counted(conditions: list) -> list:
    """The conditions on cases of every figure: `conditions` (the filters'), less the cases
    still to check."""
    return [*conditions, CHECKED]


def _filtering(conditions) -> list:
    """The conditions but CHECKED: what a figure read from another table needs the cases for."""
    return [condition for condition in conditions if condition is not CHECKED]


def of_cases(query, case_id, conditions, *, join: bool = False):
    """`query` on a table that points at cases, kept to the cases `conditions` select.

    With no condition but CHECKED (a coordinator of every commune, no filter) the join is left
    out, unless `join` (the query reads the case's commune): the figure is then one scan of
    that table, not a lookup of every case.
    """
    query = query.where(case_id.not_in(UNCOUNTED))
    if not join and not _filtering(conditions):
        return query
    return query.join(Case, Case.id == case_id).where(*conditions)


def end_of(filters: CaseFilters):
    """The instant the figures "at the end of the period" are read at: the period's end, or
    None (now) when the period is open or ends later."""
    end = filters.period()[1]
    return end if end is not None and end < utcnow() else None


def at_end(filters: CaseFilters, conditions: list) -> list:
    """`conditions` (the filters' on cases, whatever the report date), kept to the cases
    reported by the end of the period."""
    end = end_of(filters)
    return [*conditions, *([Case.created_at < end] if end is not None else [])]


def open_cases(at_end, end=None) -> list[tuple[int, str, int, int]]:
    """(commune, state, cases open at `end`, of which past their time limit), for the open
    states: the cases `at_end` selects, in the state they were in at `end` (None: now)."""
    state, since = state_at(end)
    cases = (select(Case.commune_id, state.label("state"),
                    when((past_limit(state, since, end), 1), else_=0).label("late"))
             .where(*at_end).subquery())
    return [(commune_id, status, count, late or 0) for commune_id, status, count, late in
            db.session.execute(select(cases.c.commune_id, cases.c.state, func.count(),
                                      func.sum(cases.c.late))
                               .where(cases.c.state.in_(open_states()))
                               .group_by(cases.c.commune_id, cases.c.state))]


def past_limit_now(at_end) -> list[tuple[int, int]]:
    """(commune, cases open now past their time limit): what open_cases counts as late, for
    the dashboard that reads the open cases from the summaries."""
    return [tuple(row) for row in db.session.execute(
        select(Case.commune_id, func.count()).where(*at_end, past_limit())
        .group_by(Case.commune_id))]


def past_limit_since(at_end, start) -> list[tuple[int, int]]:
    """(commune, cases open now past their time limit, the limit having passed since the
    instant `start`): the part of past_limit_now the summaries leave to the hour."""
    return [tuple(row) for row in db.session.execute(
        select(Case.commune_id, func.count()).where(*at_end, past_limit_from(start))
        .group_by(Case.commune_id))]


def _entries_by_tag(tags):
    """One count column per tag: the state entries of a state carrying it."""
    return [func.coalesce(func.sum(when((tagged(CaseStateEntry.state, tag), 1), else_=0)), 0)
            for tag in tags]


def plan_progress(selected, filters: CaseFilters) -> list[tuple[int, str, int]]:
    """(commune, a tag of PROGRESS_TAGS, cases that reached a state of it in the period)."""
    query = of_cases(
        select(CaseStateEntry.commune_id, *_entries_by_tag(PROGRESS_TAGS))
        .where(*filters.during(CaseStateEntry.entered_at))
        .group_by(CaseStateEntry.commune_id),
        CaseStateEntry.case_id, selected)
    return [(commune_id, tag, count) for commune_id, *counts in db.session.execute(query)
            for tag, count in zip(PROGRESS_TAGS, counts, strict=True) if count]


def flows(selected, filters: CaseFilters) -> dict[str, int]:
    """Cases that reached a state of each of FLOW_TAGS for the first time in the period."""
    counts = db.session.execute(of_cases(
        select(*_entries_by_tag(FLOW_TAGS)).where(*filters.during(CaseStateEntry.entered_at)),
        CaseStateEntry.case_id, selected)).one()
    return dict(zip(FLOW_TAGS, counts, strict=True))


def reported_cases(reported) -> list[tuple[int, int]]:
    """(commune, cases reported in the period)."""
    return [tuple(row) for row in db.session.execute(
        select(Case.commune_id, func.count()).where(*reported).group_by(Case.commune_id))]


def with_agreement(reported) -> int:
    """How many of the cases reported in the period reached an agreement since."""
    return db.session.scalar(of_cases(
        select(func.count()).select_from(CaseStateEntry)
        .where(tagged(CaseStateEntry.state, "resolved")), CaseStateEntry.case_id, reported))


def median_days_to_resolution(selected, filters: CaseFilters, resolved: int) -> float | None:
    """Median days from report to first agreement, over the cases resolved in the period."""
    if not resolved:
        return None
    days = CaseStateEntry.days_after_report
    middle = list(db.session.scalars(of_cases(
        select(days).where(tagged(CaseStateEntry.state, "resolved"),
                           *filters.during(CaseStateEntry.entered_at)),
        CaseStateEntry.case_id, selected).order_by(days)
        .offset((resolved - 1) // 2).limit(2 - resolved % 2)))
    return sum(middle) / len(middle) if middle else None


def follow_ups_overdue(at_end, end=None) -> int:
    """Planned visits whose day had passed at `end` (None: now) with no visit made by then
    (THE rule of a visit due: queries/milestones.py)."""
    day = local_today() if end is None else local(end).date()
    return visits_due_count(at_end, day - timedelta(days=1), end)


def awaiting(at_end, end=None) -> dict:
    """Proposals waiting for sign-offs at `end` (None: now): how many, how many per awaited
    role (THE rule: Proposal.awaits), the oldest ones."""
    roles, workflows = signing_roles(), engine().workflows()
    pending = [*at_end, Proposal.waiting(end)]
    columns = [func.count(), *(func.sum(when((Proposal.awaits(role, workflows, end), 1),
                                             else_=0)) for role in roles)]
    total, *awaited = db.session.execute(
        select(*columns).select_from(Proposal).join(Proposal.case).where(*pending)).one()
    awaited = [n or 0 for n in awaited]
    oldest = list(db.session.scalars(
        select(Proposal).join(Proposal.case).options(contains_eager(Proposal.case))
        .where(*pending).order_by(Proposal.proposed_at, Proposal.id)
        .limit(OLDEST_PROPOSALS_SHOWN)))
    return {"pending_proposals": total,
            "awaiting_by_role": dict(zip(roles, awaited, strict=True)),
            "oldest_proposals": oldest}


# How the services answered the referrals, as they stood at the end of the period.
REFERRAL_ANSWERS = ("sent", "late", "accepted", "declined", "outcome_recorded")


def referrals(at_end, end=None) -> dict[str, int]:
    """The referrals sent by `end` (None: now) by their answer then, in one query: awaiting
    it (`sent`), past the answer's day without one (`late`), accepted, declined, with their
    outcome recorded; an answer or an outcome given after `end` is not counted yet (THE rule:
    referral_standing.py)."""
    moment = utcnow() if end is None else end
    outcome = standing.outcome_recorded(moment)
    states = [and_(~standing.answered(moment), ~standing.late(moment)), standing.late(moment),
              and_(standing.accepted(moment), ~outcome), standing.declined(moment), outcome]
    columns = [func.sum(when((state, 1), else_=0)) for state in states]
    row = db.session.execute(of_cases(
        select(*columns).select_from(Referral).where(standing.sent_by(moment)),
        Referral.case_id, at_end)).one()
    return {answer: n or 0 for answer, n in zip(REFERRAL_ANSWERS, row, strict=True)}


def follow_ups(selected, filters: CaseFilters) -> list[tuple[int, int, int]]:
    """(commune, agreements checked by a visit in the period, of which found broken)."""
    per_agreement = of_cases(
        select(Case.commune_id,
               func.max(when((FollowUp.outcome == "broken", 1), else_=0)).label("broken"))
        .where(*filters.during_days(FollowUp.visit_date)), FollowUp.case_id, selected, join=True
    ).group_by(Case.commune_id, FollowUp.proposal_id).subquery()
    return [(commune_id, checked, int(broken or 0)) for commune_id, checked, broken in
            db.session.execute(select(per_agreement.c.commune_id, func.count(),
                                      func.sum(per_agreement.c.broken))
                               .group_by(per_agreement.c.commune_id))]


def participants(scope, selected, filters: CaseFilters, *, live: bool = False
                 ) -> dict[int, dict[str, int]]:
    """Per commune, people who took part in the mediation steps of the period, by sex and age.

    Summed from the running totals per commune and month when the filters allow it (whole
    months, no filter on the cases themselves, not `live`), else from the steps. The totals
    need not leave out the cases still to check: a case with steps started its mediation, so
    it counts.
    """
    months = filters.whole_months()
    if live or months is None or filters.selects_cases:
        return participants_live(selected, filters)
    first, last = months
    totals = (getattr(ParticipationMonth, name) for name in PARTICIPANTS)
    return _per_commune(db.session.execute(
        select(ParticipationMonth.commune_id,
               *(func.coalesce(func.sum(column), 0) for column in totals))
        .where(*in_communes(ParticipationMonth.commune_id, scope),
               *([ParticipationMonth.month >= first] if first else []),
               *([ParticipationMonth.month <= last] if last else []))
        .group_by(ParticipationMonth.commune_id)))


def participants_live(selected, filters: CaseFilters) -> dict[int, dict[str, int]]:
    """The same, read from every step of the period."""
    return _per_commune(db.session.execute(of_cases(
        select(Case.commune_id, *(func.coalesce(func.sum(getattr(MediationStep, name)), 0)
                                  for name in PARTICIPANTS))
        .select_from(MediationStep).where(*filters.during_days(MediationStep.step_date)),
        MediationStep.case_id, selected, join=True).group_by(Case.commune_id)))


def _per_commune(rows) -> dict[int, dict[str, int]]:
    return {commune_id: dict(zip(PARTICIPANTS, (int(n or 0) for n in sums), strict=True))
            for commune_id, *sums in rows}


def summed(per_commune: dict[int, dict[str, int]]) -> dict[str, int]:
    """The participants of every commune together."""
    return {name: sum(row.get(name, 0) for row in per_commune.values())
            for name in PARTICIPANTS}


def teams(reported) -> dict:
    """Cases with a reconciliation team, and those whose team includes a woman.

    Over every case: the distinct cases of the (user, case) index. Over some: each of those
    cases looked up in its team (the other way round, SQLite would read every woman's cases).
    """
    if not _filtering(reported):
        def distinct_cases(*members) -> int:
            cases = (select(TeamMember.case_id).where(TeamMember.case_id.not_in(UNCOUNTED),
                                                      *members).distinct().subquery())
            return db.session.scalar(select(func.count()).select_from(cases))
        women = select(User.id).where(User.sex == "F")
        return {"cases_with_team": distinct_cases(),
                "teams_with_woman": distinct_cases(TeamMember.user_id.in_(women))}
    team = select(TeamMember.id).where(TeamMember.case_id == Case.id)
    woman = team.join(User, User.id == TeamMember.user_id).where(User.sex == "F")
    with_team, with_woman = db.session.execute(
        select(*(func.coalesce(func.sum(when((exists(q), 1), else_=0)), 0) for q in (team, woman)))
        .where(*reported)).one()
    return {"cases_with_team": with_team, "teams_with_woman": with_woman}


def month_starts(filters: CaseFilters) -> list[date]:
    """The first days of the last MONTHS_SHOWN months of the period, and of the month after."""
    end = filters.date_to or local_today()
    first = end.year * 12 + end.month - 1 - (MONTHS_SHOWN - 1)  # months since year 0
    return [date((first + n) // 12, (first + n) % 12 + 1, 1) for n in range(MONTHS_SHOWN + 1)]


def month_keys(filters: CaseFilters) -> list[str]:
    """'2026-11' for each month that `months` counts: the last MONTHS_SHOWN of the period."""
    start = filters.date_from.replace(day=1) if filters.date_from else date.min
    return [first.strftime("%Y-%m") for first in month_starts(filters)[:-1] if first >= start]


def months(reported, filters: CaseFilters, everywhere: bool) -> dict[str, dict[str, int]]:
    """Cases reported each month of the last MONTHS_SHOWN of the period, by their state now."""
    starts = month_starts(filters)
    if everywhere and not filters.selects_cases:
        return months_by_range(filters, starts)
    month = month_of(Case.created_at)
    months: dict[str, dict[str, int]] = {}
    for key, status, count in db.session.execute(
            select(month, Case.status, func.count())
            .where(*reported, Case.created_at >= day_start(starts[0]))
            .group_by(month, Case.status).order_by(month)):
        months.setdefault(key, {})[status] = count
    return months


def months_by_range(filters: CaseFilters, starts: list[date]) -> dict[str, dict[str, int]]:
    """The same over every commune, as one count per month and state: each reads a range of
    the (status, created_at) index instead of every case of the year."""
    period_start, period_end = filters.period()
    states = list(state_labels())
    cells, counts = [], []
    for first, following in pairwise(starts):
        low, high = day_start(first), day_start(following)
        low, high = max(low, period_start or low), min(high, period_end or high)
        for status in states:
            cells.append((first.strftime("%Y-%m"), status))
            counts.append(select(func.count()).select_from(Case).where(
                Case.status == status, Case.created_at >= low, Case.created_at < high,
                CHECKED).scalar_subquery())
    months: dict[str, dict[str, int]] = {}
    row = db.session.execute(select(*counts)).one()
    for (key, status), count in zip(cells, row, strict=True):
        if count:
            months.setdefault(key, {})[status] = count
    return months


def by_type(reported, *, per_commune: bool = False) -> list[tuple]:
    """Cases reported in the period per type of conflict, the most frequent first:
    ([commune,] type, cases)."""
    key = [Case.commune_id] if per_commune else []
    return [tuple(row) for row in db.session.execute(
        select(*key, Case.conflict_type, func.count()).where(*reported)
        .group_by(*key, Case.conflict_type).order_by(func.count().desc(), Case.conflict_type))]


def parties(reported, *, per_commune: bool = False) -> list[tuple]:
    """Parties of the cases reported in the period: ([commune,] sex, age group, parties)."""
    key = [Case.commune_id] if per_commune else []
    return [tuple(row) for row in db.session.execute(of_cases(
        select(*key, Party.sex, Party.age_group, func.count()).select_from(Party)
        .group_by(*key, Party.sex, Party.age_group), Party.case_id, reported, join=per_commune))]
