"""The planned follow-up visits of a case's agreement: when each is due, and the visit if made.

THE rule of "a visit is due", in Python (`milestones`, `due_by`) and in SQL (`cases_with_visit_due`,
`visits_due_count`): a planned visit of the case's current agreement (its last approved
proposal) is due on the local day of the agreement plus the `follow_up_days` of the state the
agreement led to, until a visit of that milestone is recorded, while the case is in a state
that allows follow-ups (once reopened or closed, nothing of it is due any more). Mon travail,
the messages, the dashboard and the API all read it here; which visits are planned, and
made, is `workflow_registry.planned_visits`, which the condition `follow_ups_done` reads too."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, false, func, or_, select
from sqlalchemy import case as when
from sqlalchemy.orm import aliased

from ..clock import day_start, local, local_today
from ..extensions import db
from ..models import Case, FollowUp, Proposal
from ..workflow_registry import engine, planned_visits, workflow_of
from .states import at_run, built_once, in_version, state_at, states_allowing

# "Mon travail" lists a planned visit this many days before it is due (queries/worklist.py),
# and the team may record it from then on: a "30-day" visit is not made on the day of the
# agreement (an earlier one is an additional visit).
NOTICE_DAYS = 7


@dataclass(frozen=True)
class Milestone:
    days: int
    due: date
    visit: FollowUp | None

    @property
    def opens(self) -> date:
        """The first day this planned visit may be made on."""
        return self.due - timedelta(days=NOTICE_DAYS)


def milestones(case: Case, agreement: Proposal | None = None) -> list[Milestone]:
    """The planned visits of the case's current agreement, their due date, and the visit if made."""
    agreement = agreement or case.current_agreement
    planned = planned_visits(case, workflow_of(case), agreement)
    if not planned:
        return []
    start = local(agreement.decided_at).date()
    return [Milestone(d, start + timedelta(days=d), visit) for d, visit in planned.items()]


def open_milestones(case: Case) -> list[int]:
    return [m.days for m in milestones(case) if m.visit is None]


def visit_to_offer(case: Case) -> int | None:
    """The planned visit the form offers first: the earliest not made whose day has come (None:
    an additional visit)."""
    today = local_today()
    return next((m.days for m in milestones(case) if m.visit is None and m.opens <= today), None)


def due_by(case: Case, day: date) -> list[Milestone]:
    """The planned visits of `case` due on or before `day` and not made."""
    if "follow_ups" not in workflow_of(case).state(case.status).allows:
        return []
    return [m for m in milestones(case) if m.visit is None and m.due <= day]


# -- the same rule in SQL ------------------------------------------------------------------------

def _current_agreement(end=None):
    """On Proposal: the case's last approved proposal (at the instant `end`; None: now)."""
    later = aliased(Proposal)
    before = (lambda p: [p.decided_at < end]) if end is not None else (lambda p: [])
    newer = exists().where(later.case_id == Proposal.case_id, later.status == "approved",
                           later.id > Proposal.id, *before(later))
    return and_(Proposal.status == "approved", Proposal.decided_at.is_not(None),
                *before(Proposal), ~newer)


def _visits_due(day: date | Callable[[], date], end=None) -> list:
    """On Proposal (with its Case): one clause per planned visit, true when it is due on or
    before `day` and not made (by `day`, when the question is asked of a past `end`). `day`
    may be a function, then called when the statement runs (never with `end`)."""
    by_then = [FollowUp.visit_date <= day] if end is not None else []
    due = []
    for workflow in engine().workflows():
        for name, state in workflow.states.items():
            for days in state.follow_up_days:
                # Due on (local day of the decision) + days <= day.
                made = exists().where(FollowUp.proposal_id == Proposal.id,
                                      FollowUp.milestone_days == days, *by_then)
                due.append(and_(in_version(workflow), Proposal.to_state == name,
                                Proposal.decided_at < _decided_before(day, days), ~made))
    return due


def _decided_before(day, days: int):
    if callable(day):
        return at_run(lambda: day_start(day() - timedelta(days=days - 1)),
                      Proposal.decided_at.type)
    return day_start(day - timedelta(days=days - 1))


def cases_with_visit_due(day: date | Callable[[], date]):
    """On Case: `due_by(case, day)` is not empty (`day`: see _visits_due)."""
    # EXISTS on the case's own proposals: the clauses read the case's workflow, so an IN over
    # every proposal was correlated anyway and read them all again for each case.
    return and_(states_allowing("follow_ups"), exists().where(
        Proposal.case_id == Case.id, _current_agreement(), or_(false(), *_visits_due(day))))


def cases_with_visit_due_within(days: int):
    """On Case: a visit due within `days` days of today (today read when the statement runs),
    built once."""
    return built_once(("visit_due_within", days), lambda: cases_with_visit_due(
        lambda: local_today() + timedelta(days=days)))


def visits_due_count(conditions, day: date, end=None) -> int:
    """How many planned visits of the cases `conditions` select are due on or before `day`;
    asked of a past instant `end` (a report's period), of the cases as they stood then."""
    due = _visits_due(day, end)
    if not due:
        return 0
    count = sum((when((clause, 1), else_=0) for clause in due[1:]), when((due[0], 1), else_=0))
    return db.session.scalar(
        select(func.coalesce(func.sum(count), 0)).select_from(Case)
        .join(Proposal, Proposal.case_id == Case.id)
        .where(*conditions, states_allowing("follow_ups", state_at(end)[0]),
               _current_agreement(end))) or 0
