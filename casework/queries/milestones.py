"""The planned follow-up visits of a case's agreement: when each is due, and the visit if made."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from ..clock import local, local_today
from ..models import Case, FollowUp, Proposal
from ..workflow_registry import workflow_of

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
    if agreement is None or agreement.decided_at is None:
        return []
    start = local(agreement.decided_at).date()
    days = workflow_of(case).state(agreement.to_state).follow_up_days
    visits = {f.milestone_days: f for f in case.follow_ups if f.proposal_id == agreement.id}
    return [Milestone(d, start + timedelta(days=d), visits.get(d)) for d in days]


def open_milestones(case: Case) -> list[int]:
    return [m.days for m in milestones(case) if m.visit is None]


def visit_to_offer(case: Case) -> int | None:
    """The planned visit the form offers first: the earliest not made whose day has come (None:
    an additional visit)."""
    today = local_today()
    return next((m.days for m in milestones(case) if m.visit is None and m.opens <= today), None)
