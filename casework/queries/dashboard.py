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
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import and_, case as when, distinct, exists, false, func, or_, select
from sqlalchemy.orm import contains_eager

from ..access import communes_in
from ..extensions import db
from ..models import (Case, CaseStateEntry, Commune, FollowUp, MediationStep, Party, Proposal,
                      SignOff, TeamMember, User, utcnow)
from ..timeutil import day_start, local_today
from ..workflow import engine, open_states
from .filters import CaseFilters
from .sql import days_between, month_of

# States whose first entry the dashboard counts "in the period", in the order shown.
FLOW_STATES = ("resolved", "referred", "closed", "not_admissible")
MEDIATION_STATE = "in_mediation"
RESOLVED_STATE = "resolved"
PARTICIPANTS = ("women", "men", "young_women", "young_men")
OLDEST_PROPOSALS_SHOWN = 10


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (shown as a dash, never 0 %)."""
    return part / whole if whole else None


@dataclass
class CommuneRow:
    commune: Commune
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
        participants=_participants(selected, filters),
        **_teams(reported),
        parties={(sex, age): n for sex, age, n in db.session.execute(
            select(Party.sex, Party.age_group, func.count()).join(Party.case).where(*reported)
            .group_by(Party.sex, Party.age_group))},
        months=_months(reported),
    )


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
    query = (select(Case.commune_id, CaseStateEntry.state, func.count())
             .join(CaseStateEntry.case)
             .where(*selected, CaseStateEntry.state.in_((MEDIATION_STATE, RESOLVED_STATE)),
                    *filters.during(CaseStateEntry.entered_at))
             .group_by(Case.commune_id, CaseStateEntry.state))
    for commune_id, state, count in db.session.execute(query):
        setattr(rows[commune_id], "mediated" if state == MEDIATION_STATE else "resolved", count)


def _flows(selected, filters: CaseFilters) -> dict[str, int]:
    """Cases that reached each of FLOW_STATES for the first time in the period, and new ones."""
    counts = dict.fromkeys(FLOW_STATES, 0)
    counts.update(db.session.execute(
        select(CaseStateEntry.state, func.count()).join(CaseStateEntry.case)
        .where(*selected, CaseStateEntry.state.in_(FLOW_STATES),
               *filters.during(CaseStateEntry.entered_at))
        .group_by(CaseStateEntry.state)).all())
    return counts


def _resolution(reported) -> tuple[int, int]:
    """Cases reported in the period, and how many of them reached an agreement since."""
    resolved = (select(CaseStateEntry.id).where(CaseStateEntry.case_id == Case.id,
                                                CaseStateEntry.state == RESOLVED_STATE))
    count, with_agreement = db.session.execute(
        select(func.count(), func.sum(when((exists(resolved), 1), else_=0)))
        .where(*reported)).one()
    return count, with_agreement or 0


def _median_days_to_resolution(selected, filters: CaseFilters, resolved: int) -> float | None:
    """Median days from report to first agreement, over the cases resolved in the period."""
    if not resolved:
        return None
    days = days_between(Case.created_at, CaseStateEntry.entered_at)
    middle = list(db.session.scalars(
        select(days).join(CaseStateEntry.case)
        .where(*selected, CaseStateEntry.state == RESOLVED_STATE,
               *filters.during(CaseStateEntry.entered_at))
        .order_by(days).offset((resolved - 1) // 2).limit(2 - resolved % 2)))
    return sum(middle) / len(middle) if middle else None


def _follow_ups_overdue(reported) -> int:
    """Planned visits of the current agreement whose date has passed with no visit recorded."""
    current = (select(Proposal.case_id, func.max(Proposal.id).label("id"))
               .where(Proposal.status == "approved").group_by(Proposal.case_id).subquery())
    today = day_start(local_today())
    late = []
    for workflow in engine().workflows():
        states = [n for n, s in workflow.states.items() if "follow_ups" in s.allows]
        for dest, state in workflow.states.items():
            for days in state.follow_up_days:
                done = exists(select(FollowUp.id).where(FollowUp.proposal_id == Proposal.id,
                                                        FollowUp.milestone_days == days))
                late.append(when((and_(Case.workflow == workflow.name,
                                       Case.workflow_version == workflow.version,
                                       Case.status.in_(states), Proposal.to_state == dest,
                                       Proposal.decided_at < today - timedelta(days=days),
                                       ~done), 1), else_=0))
    if not late:
        return 0
    total = sum(late[1:], late[0])
    query = (select(func.sum(total)).select_from(Case)
             .join(current, current.c.case_id == Case.id)
             .join(Proposal, Proposal.id == current.c.id).where(*reported))
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
    oldest = list(db.session.scalars(
        select(Proposal).join(Proposal.case).options(contains_eager(Proposal.case))
        .where(*pending).order_by(Proposal.proposed_at, Proposal.id)
        .limit(OLDEST_PROPOSALS_SHOWN)))
    return {"pending_proposals": total,
            "awaiting_by_role": {role: n or 0 for role, n in zip(requires, awaited, strict=True)},
            "oldest_proposals": oldest}


def _relapse(selected, filters: CaseFilters) -> dict:
    """Agreements checked by a visit in the period, and those found broken."""
    followed, broken = db.session.execute(
        select(func.count(distinct(FollowUp.proposal_id)),
               func.count(distinct(when((FollowUp.outcome == "broken", FollowUp.proposal_id)))))
        .join(FollowUp.case).where(*selected, *filters.during_days(FollowUp.visit_date))).one()
    return {"followed_agreements": followed, "broken_agreements": broken}


def _participants(selected, filters: CaseFilters) -> dict[str, int]:
    """People who took part in the mediation steps of the period, by sex and age."""
    sums = db.session.execute(
        select(*(func.coalesce(func.sum(getattr(MediationStep, name)), 0)
                 for name in PARTICIPANTS))
        .join(MediationStep.case).where(*selected, *filters.during_days(MediationStep.step_date))
    ).one()
    return dict(zip(PARTICIPANTS, sums, strict=True))


def _teams(reported) -> dict:
    """Cases with a reconciliation team, and those whose team includes a woman."""
    with_team, with_woman = db.session.execute(
        select(func.count(distinct(TeamMember.case_id)),
               func.count(distinct(when((User.sex == "F", TeamMember.case_id)))))
        .select_from(TeamMember).join(TeamMember.case).join(User, User.id == TeamMember.user_id)
        .where(*reported)).one()
    return {"cases_with_team": with_team, "teams_with_woman": with_woman}


def _months(reported) -> dict[str, dict[str, int]]:
    """Cases reported each month, by the state they are in now."""
    month = month_of(Case.created_at)
    months: dict[str, dict[str, int]] = {}
    for key, status, count in db.session.execute(
            select(month, Case.status, func.count()).where(*reported)
            .group_by(month, Case.status).order_by(month)):
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
