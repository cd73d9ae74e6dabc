"""The programme at a glance: every figure of the dashboard and of the monthly report.

Each figure is one aggregate query over the cases that the filters and the user's communes
select, so that the number of queries never grows with the data. Two kinds of figures:

- about the cases *reported in the period* (open cases, past their time limit, types,
  parties, teams, resolution rate): the same cases as the case list with the same filters;
- about what *happened in the period* (resolved, referred, closed, mediation steps, follow-up
  visits): counted by the date it happened, whenever the case was reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from functools import cached_property
from itertools import pairwise
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case as when, exists, false, func, or_, select
from sqlalchemy.orm import contains_eager

from ..access import communes_in, in_communes
from ..extensions import db
from ..models import (Case, CaseStateEntry, FollowUp, MediationStep,
                      ParticipationMonth, Party, Proposal,
                      SignOff, TeamMember, User, utcnow)
from ..timeutil import day_start, local_today
from ..workflow import engine, open_states, state_labels
from .filters import CaseFilters
from .sql import month_of

# States whose first entry the dashboard counts "in the period", in the order shown.
FLOW_STATES = ("resolved", "referred", "closed", "not_admissible")
MEDIATION_STATE = "in_mediation"
RESOLVED_STATE = "resolved"
PARTICIPANTS = ("women", "men", "young_women", "young_men")
OLDEST_PROPOSALS_SHOWN = 10
MONTHS_SHOWN = 12
# A screen lists at most this many communes per table (the export has them all): with 700
# communes, the ones to act on first.
COMMUNES_SHOWN = 25


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (shown as a dash, never 0 %)."""
    return part / whole if whole else None


@dataclass
class CommuneRow:
    commune: Any  # a row of access.communes_in: id, code, name, case_target
    open_by_state: dict[str, int] = field(default_factory=dict)
    past_sla: int = 0
    mediated: int = 0
    resolved: int = 0

    @property
    def open_total(self) -> int:
        return sum(self.open_by_state.values())

    @property
    def target_met(self) -> bool:
        return self.mediated >= self.commune.case_target


@dataclass
class Dashboard:
    filters: CaseFilters
    states: list[str]
    communes: list[CommuneRow]
    flows: dict[str, int]
    reported: int
    reported_resolved: int
    median_days_to_resolution: float | None
    follow_ups_overdue: int
    awaiting_by_role: dict[str, int]
    pending_proposals: int
    oldest_proposals: list[Proposal]
    followed_agreements: int
    broken_agreements: int
    by_type: dict[str, int]
    participants: dict[str, int]
    cases_with_team: int
    teams_with_woman: int
    parties: dict[tuple[str, str], int]
    months: dict[str, dict[str, int]]

    @property
    def resolution_rate(self):
        return share(self.reported_resolved, self.reported)

    @property
    def relapse_rate(self):
        return share(self.broken_agreements, self.followed_agreements)

    @property
    def open_total(self) -> int:
        return sum(row.open_total for row in self.communes)

    @property
    def past_sla(self) -> int:
        return sum(row.past_sla for row in self.communes)

    @property
    def open_by_state(self) -> dict[str, int]:
        return {s: sum(r.open_by_state.get(s, 0) for r in self.communes) for s in self.states}

    @property
    def participant_total(self) -> int:
        return sum(self.participants.values())

    @property
    def women_share(self):
        p = self.participants
        return share(p["women"] + p["young_women"], self.participant_total)

    @property
    def youth_share(self):
        p = self.participants
        return share(p["young_women"] + p["young_men"], self.participant_total)

    @property
    def communes_meeting_target(self) -> int:
        return sum(row.target_met for row in self.communes)

    @cached_property
    def busiest_communes(self) -> list[CommuneRow]:
        """Communes with open cases, the most first."""
        rows = [row for row in self.communes if row.open_total]
        return sorted(rows, key=lambda r: (-r.open_total, r.commune.name))[:COMMUNES_SHOWN]

    @cached_property
    def plan_rows(self) -> list[CommuneRow]:
        """Every commune when they fit on a screen; else those furthest behind their target."""
        if len(self.communes) <= COMMUNES_SHOWN:
            return self.communes
        behind = [row for row in self.communes if not row.target_met]
        return sorted(behind, key=lambda r: (r.mediated - r.commune.case_target,
                                             r.commune.name))[:COMMUNES_SHOWN]


def build(commune_ids, filters: CaseFilters) -> Dashboard:
    """Every figure for the cases of `commune_ids` (the user's) that `filters` select."""
    scope = filters.scope(commune_ids)
    reported = filters.case_conditions(scope)  # cases reported in the period
    selected = filters.case_conditions(scope, reported_in_period=False)  # any report date
    rows = {c.id: CommuneRow(c) for c in communes_in(scope)}
    _open_cases(rows, reported)
    _plan_progress(rows, selected, filters)
    flows = _flows(selected, filters)
    count, resolved = _resolution(reported)
    return Dashboard(
        filters=filters, states=open_states(), communes=list(rows.values()),
        flows=flows, reported=count, reported_resolved=resolved,
        median_days_to_resolution=_median_days_to_resolution(selected, filters,
                                                             flows[RESOLVED_STATE]),
        follow_ups_overdue=_follow_ups_overdue(reported),
        **_awaiting(reported),
        **_relapse(selected, filters),
        by_type=dict(db.session.execute(
            select(Case.conflict_type, func.count()).where(*reported)
            .group_by(Case.conflict_type).order_by(func.count().desc())).all()),
        participants=_participants(scope, selected, filters),
        **_teams(reported),
        parties={(sex, age): n for sex, age, n in db.session.execute(_of_cases(
            select(Party.sex, Party.age_group, func.count()).select_from(Party)
            .group_by(Party.sex, Party.age_group), Party.case_id, reported))},
        months=_months(reported, filters, everywhere=not in_communes(Case.commune_id, scope)),
    )


def _of_cases(query, case_id, conditions):
    """`query` on a table that points at cases, kept to the cases `conditions` select.

    With no condition (a coordinator of every commune, no filter) the join is left out: the
    figure is then one scan of that table, not a lookup of every case.
    """
    if not conditions:
        return query
    return query.join(Case, Case.id == case_id).where(*conditions)


def _past_sla():
    """True for a case that has stayed longer than its state's `sla_days`."""
    now = utcnow()
    limits = [and_(Case.workflow == w.name, Case.workflow_version == w.version,
                   Case.status == name, Case.status_changed_at < now - timedelta(days=s.sla_days))
              for w in engine().workflows() for name, s in w.states.items() if s.sla_days]
    return or_(*limits) if limits else false()


def _open_cases(rows: dict[int, CommuneRow], reported) -> None:
    query = (select(Case.commune_id, Case.status, func.count(),
                    func.sum(when((_past_sla(), 1), else_=0)))
             .where(*reported, Case.status.in_(open_states()))
             .group_by(Case.commune_id, Case.status))
    for commune_id, status, count, late in db.session.execute(query):
        row = rows[commune_id]
        row.open_by_state[status] = count
        row.past_sla += late or 0


def _plan_progress(rows: dict[int, CommuneRow], selected, filters: CaseFilters) -> None:
    """Cases taken into mediation and resolved per commune, in the period."""
    query = _of_cases(
        select(CaseStateEntry.commune_id, CaseStateEntry.state, func.count())
        .where(CaseStateEntry.state.in_((MEDIATION_STATE, RESOLVED_STATE)),
               *filters.during(CaseStateEntry.entered_at))
        .group_by(CaseStateEntry.commune_id, CaseStateEntry.state),
        CaseStateEntry.case_id, selected)
    for commune_id, state, count in db.session.execute(query):
        setattr(rows[commune_id], "mediated" if state == MEDIATION_STATE else "resolved", count)


def _flows(selected, filters: CaseFilters) -> dict[str, int]:
    """Cases that reached each of FLOW_STATES for the first time in the period, and new ones."""
    counts = dict.fromkeys(FLOW_STATES, 0)
    counts.update(db.session.execute(_of_cases(
        select(CaseStateEntry.state, func.count())
        .where(CaseStateEntry.state.in_(FLOW_STATES), *filters.during(CaseStateEntry.entered_at))
        .group_by(CaseStateEntry.state), CaseStateEntry.case_id, selected)).all())
    return counts


def _resolution(reported) -> tuple[int, int]:
    """Cases reported in the period, and how many of them reached an agreement since."""
    count = db.session.scalar(select(func.count()).select_from(Case).where(*reported))
    with_agreement = db.session.scalar(_of_cases(
        select(func.count()).select_from(CaseStateEntry)
        .where(CaseStateEntry.state == RESOLVED_STATE), CaseStateEntry.case_id, reported))
    return count, with_agreement


def _median_days_to_resolution(selected, filters: CaseFilters, resolved: int) -> float | None:
    """Median days from report to first agreement, over the cases resolved in the period."""
    if not resolved:
        return None
    days = CaseStateEntry.days_after_report
    middle = list(db.session.scalars(_of_cases(
        select(days).where(CaseStateEntry.state == RESOLVED_STATE,
                           *filters.during(CaseStateEntry.entered_at)),
        CaseStateEntry.case_id, selected).order_by(days)
        .offset((resolved - 1) // 2).limit(2 - resolved % 2)))
    return sum(middle) / len(middle) if middle else None


def _follow_ups_overdue(reported) -> int:
    """Planned visits whose date has passed with no visit recorded.

    A state's `follow_up_days` are due while the case is in that state, counted from the
    agreement that brought it there (its last approved proposal); once the case has moved on
    (followed up, reopened, closed) nothing of it is overdue any more.
    """
    current = (select(func.max(Proposal.id)).where(Proposal.case_id == Case.id,
                                                  Proposal.status == "approved")
               .correlate(Case).scalar_subquery())
    today = day_start(local_today())
    late, states = [], set()
    for workflow in engine().workflows():
        for name, state in workflow.states.items():
            for days in state.follow_up_days:
                states.add(name)
                done = exists(select(FollowUp.id).where(FollowUp.proposal_id == Proposal.id,
                                                        FollowUp.milestone_days == days))
                late.append(when((and_(Case.workflow == workflow.name,
                                       Case.workflow_version == workflow.version,
                                       Case.status == name,
                                       Proposal.decided_at < today - timedelta(days=days),
                                       ~done), 1), else_=0))
    if not late:
        return 0
    query = (select(func.sum(sum(late[1:], late[0]))).select_from(Case)
             .join(Proposal, Proposal.id == current)
             .where(*reported, Case.status.in_(sorted(states))))
    return db.session.scalar(query) or 0


def _awaiting(reported) -> dict:
    """Proposals waiting for sign-offs: how many, how many per awaited role, the oldest ones."""
    requires: dict[str, list] = {}
    for workflow in engine().workflows():
        for t in workflow.transitions:
            for role in t.signoffs:
                requires.setdefault(role, []).append(and_(
                    Case.workflow == workflow.name, Case.workflow_version == workflow.version,
                    Proposal.trigger == t.trigger))
    pending = [*reported, Proposal.status == "pending"]
    columns = [func.count()]
    for role, conditions in requires.items():
        signed = exists(select(SignOff.id).where(SignOff.proposal_id == Proposal.id,
                                                 SignOff.role == role))
        columns.append(func.sum(when((and_(or_(*conditions), ~signed), 1), else_=0)))
    total, *awaited = db.session.execute(
        select(*columns).select_from(Proposal).join(Proposal.case).where(*pending)).one()
    awaited = [n or 0 for n in awaited]
    oldest = list(db.session.scalars(
        select(Proposal).join(Proposal.case).options(contains_eager(Proposal.case))
        .where(*pending).order_by(Proposal.proposed_at, Proposal.id)
        .limit(OLDEST_PROPOSALS_SHOWN)))
    return {"pending_proposals": total,
            "awaiting_by_role": dict(zip(requires, awaited, strict=True)),
            "oldest_proposals": oldest}


def _relapse(selected, filters: CaseFilters) -> dict:
    """Agreements checked by a visit in the period, and those found broken."""
    per_agreement = _of_cases(
        select(FollowUp.proposal_id,
               func.max(when((FollowUp.outcome == "broken", 1), else_=0)).label("broken"))
        .where(*filters.during_days(FollowUp.visit_date)), FollowUp.case_id, selected
    ).group_by(FollowUp.proposal_id).subquery()
    followed, broken = db.session.execute(
        select(func.count(), func.coalesce(func.sum(per_agreement.c.broken), 0))).one()
    return {"followed_agreements": followed, "broken_agreements": broken}


def _participants(scope, selected, filters: CaseFilters) -> dict[str, int]:
    """People who took part in the mediation steps of the period, by sex and age.

    Summed from the running totals per commune and month when the filters allow it (whole
    months, no filter on the cases themselves), else from the steps.
    """
    months = filters.whole_months()
    if months is None or filters.selects_cases:
        return participants_live(selected, filters)
    first, last = months
    totals = (getattr(ParticipationMonth, name) for name in PARTICIPANTS)
    sums = db.session.execute(
        select(*(func.coalesce(func.sum(column), 0) for column in totals))
        .where(*in_communes(ParticipationMonth.commune_id, scope),
               *([ParticipationMonth.month >= first] if first else []),
               *([ParticipationMonth.month <= last] if last else []))).one()
    return dict(zip(PARTICIPANTS, sums, strict=True))


def participants_live(selected, filters: CaseFilters) -> dict[str, int]:
    """The same, read from every step of the period."""
    sums = db.session.execute(_of_cases(
        select(*(func.coalesce(func.sum(getattr(MediationStep, name)), 0)
                 for name in PARTICIPANTS))
        .select_from(MediationStep).where(*filters.during_days(MediationStep.step_date)),
        MediationStep.case_id, selected)).one()
    return dict(zip(PARTICIPANTS, sums, strict=True))


def _teams(reported) -> dict:
    """Cases with a reconciliation team, and those whose team includes a woman."""
    women = select(User.id).where(User.sex == "F")
    per_case = _of_cases(
        select(TeamMember.case_id,
               func.max(when((TeamMember.user_id.in_(women), 1), else_=0)).label("woman")),
        TeamMember.case_id, reported).group_by(TeamMember.case_id).subquery()
    with_team, with_woman = db.session.execute(
        select(func.count(), func.coalesce(func.sum(per_case.c.woman), 0))).one()
    return {"cases_with_team": with_team, "teams_with_woman": with_woman}


def _month_starts(filters: CaseFilters) -> list[date]:
    """The first days of the last MONTHS_SHOWN months of the period, and of the month after."""
    end = filters.date_to or local_today()
    first = end.year * 12 + end.month - 1 - (MONTHS_SHOWN - 1)  # months since year 0
    return [date((first + n) // 12, (first + n) % 12 + 1, 1) for n in range(MONTHS_SHOWN + 1)]


def _months(reported, filters: CaseFilters, everywhere: bool) -> dict[str, dict[str, int]]:
    """Cases reported each month of the last MONTHS_SHOWN of the period, by their state now."""
    starts = _month_starts(filters)
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
                Case.status == status, Case.created_at >= low, Case.created_at < high)
                .scalar_subquery())
    months: dict[str, dict[str, int]] = {}
    row = db.session.execute(select(*counts)).one()
    for (key, status), count in zip(cells, row, strict=True):
        if count:
            months.setdefault(key, {})[status] = count
    return months


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | int | None
    unit: str = ""  # "%" (value already multiplied by 100) or "days"


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def key_figures(d: Dashboard) -> list[Figure]:
    """The headline figures, in the order the screen, the report and the exports show them."""
    median = d.median_days_to_resolution
    return [
        Figure(_("Open cases"), d.open_total),
        Figure(_("New cases in the period"), d.reported),
        Figure(_("Resolved in the period"), d.flows["resolved"]),
        Figure(_("Referred in the period"), d.flows["referred"]),
        Figure(_("Closed in the period"), d.flows["closed"]),
        Figure(_("Not admissible in the period"), d.flows["not_admissible"]),
        Figure(_("Median days from report to agreement"),
               None if median is None else round(median, 1), "days"),
        Figure(_("Resolution rate (cases reported in the period with a signed agreement)"),
               _percent(d.resolution_rate), "%"),
        Figure(_("Open cases past their time limit"), d.past_sla),
        Figure(_("Follow-up visits overdue"), d.follow_ups_overdue),
        Figure(_("Proposals waiting for sign-offs"), d.pending_proposals),
        Figure(_("Agreements checked by a follow-up visit"), d.followed_agreements),
        Figure(_("Agreements found broken (relapse rate)"), _percent(d.relapse_rate), "%"),
        Figure(_("Women's share of participants in mediation steps"),
               _percent(d.women_share), "%"),
        Figure(_("Young people's share of participants in mediation steps"),
               _percent(d.youth_share), "%"),
        Figure(_("Cases whose team includes a woman"), d.teams_with_woman),
        Figure(_("Cases with a reconciliation team"), d.cases_with_team),
        Figure(_("Communes that took on their target of conflicts"), d.communes_meeting_target),
    ]
