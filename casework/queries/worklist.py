"""'Mon travail': what waits for this user now, across the cases they work on."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm import selectinload

from .. import access
from ..extensions import db
from ..models import Case, Proposal, TeamMember, utcnow
from ..services.followups import milestones
from ..timeutil import local_today
from ..workflow import engine, workflow_of

LIMIT = 50
STEP_NOTICE_DAYS = 3
FOLLOW_UP_NOTICE_DAYS = 7


@dataclass
class Due:
    case: Case
    due: date | None
    what: str = ""


@dataclass
class WorkList:
    signoffs: list[tuple[Proposal, list[str]]] = field(default_factory=list)
    unassigned: list[Case] = field(default_factory=list)
    steps_due: list[Due] = field(default_factory=list)
    follow_ups_due: list[Due] = field(default_factory=list)
    overdue: list[Due] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.signoffs or self.unassigned or self.steps_due or self.follow_ups_due
                    or self.overdue)


def _my_cases_clause(user):
    """Cases this user works on: a mediator's team cases (and cases with no team yet in their
    communes); every visible case for authorities and coordinators."""
    overseen = access.commune_ids(user, ("coordinator", "commune_authority",
                                         "traditional_leader"))
    mediated = access.commune_ids(user, ("mediator",))
    clauses = []
    if overseen:
        clauses.append(Case.commune_id.in_(overseen))
    if mediated:
        clauses.append(and_(Case.commune_id.in_(mediated),
                            or_(Case.team.any(TeamMember.user_id == user.id), ~Case.team.any())))
    return or_(*clauses) if clauses else false()


def _overdue_clause():
    now = utcnow()
    clauses = []
    for workflow in engine().workflows():
        for state in workflow.states.values():
            if state.sla_days:
                clauses.append(and_(Case.workflow == workflow.name,
                                    Case.workflow_version == workflow.version,
                                    Case.status == state.name,
                                    Case.status_changed_at < now - timedelta(days=state.sla_days)))
    return or_(*clauses) if clauses else false()


def _states_allowing(activity: str):
    clauses = []
    for workflow in engine().workflows():
        names = [name for name, state in workflow.states.items() if activity in state.allows]
        if names:
            clauses.append(and_(Case.workflow == workflow.name,
                                Case.workflow_version == workflow.version,
                                Case.status.in_(names)))
    return or_(*clauses) if clauses else false()


def _team_cases(user, activity: str, limit: int = LIMIT * 4) -> list[Case]:
    coordinated = access.commune_ids(user, ("coordinator",))
    mine = or_(Case.team.any(TeamMember.user_id == user.id),
               Case.commune_id.in_(coordinated) if coordinated else false())
    return list(db.session.scalars(
        select(Case).where(access.visible_cases_clause(user), mine, _states_allowing(activity))
        .options(selectinload(Case.steps), selectinload(Case.follow_ups),
                 selectinload(Case.proposals))
        .order_by(Case.status_changed_at).limit(limit)))


def signoffs_awaiting(user, limit: int = LIMIT) -> list[tuple[Proposal, list[str]]]:
    """Pending proposals this user may sign now, with the roles they would sign in."""
    found = []
    for proposal in db.session.scalars(access.awaiting_my_signoff(user).limit(limit)):
        roles = access.signable_roles(user, proposal)
        if roles:
            found.append((proposal, roles))
    return found


def follow_ups_due(user, within_days: int = FOLLOW_UP_NOTICE_DAYS,
                   limit: int = LIMIT * 4) -> list[Due]:
    """The first open planned visit of each of the user's cases, if due within `within_days`
    (or already late)."""
    today, found = local_today(), []
    for case in _team_cases(user, "follow_ups", limit):
        for milestone in milestones(case):
            if milestone.visit is None and milestone.due <= today + timedelta(within_days):
                found.append(Due(case, milestone.due, str(milestone.days)))
                break
    return found


def past_time_limit(user, limit: int = LIMIT) -> list[Due]:
    """The user's cases that stay in a state longer than its `sla_days`, and when it ran out."""
    found = []
    for case in db.session.scalars(
            select(Case).where(access.visible_cases_clause(user), _my_cases_clause(user),
                               _overdue_clause())
            .order_by(Case.status_changed_at).limit(limit)):
        sla = workflow_of(case).state(case.status).sla_days
        found.append(Due(case, (case.status_changed_at + timedelta(days=sla)).date()))
    return found


def my_work(user) -> WorkList:
    work = WorkList()
    today = local_today()
    work.signoffs = signoffs_awaiting(user)

    mediated = access.commune_ids(user, ("mediator", "coordinator"))
    if mediated:
        initial_states = {w.initial for w in engine().workflows()}
        work.unassigned = list(db.session.scalars(
            select(Case).where(Case.commune_id.in_(mediated), ~Case.team.any(),
                               Case.status.in_(initial_states))
            .order_by(Case.created_at).limit(LIMIT)))

    for case in _team_cases(user, "steps"):
        last = case.steps[-1] if case.steps else None
        if last is None:
            work.steps_due.append(Due(case, None))
        elif last.next_step_date and last.next_step_date <= today + timedelta(STEP_NOTICE_DAYS):
            work.steps_due.append(Due(case, last.next_step_date, last.next_step or ""))

    work.follow_ups_due = follow_ups_due(user)
    work.overdue = past_time_limit(user)
    return work
