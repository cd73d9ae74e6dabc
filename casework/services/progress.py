"""Moving a case along its workflow: version check, state change, automatic transitions."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from ..clock import utcnow
from ..errors import Conflict
from ..extensions import db
from ..models import Case, CaseStateEntry, Proposal
from ..workflow_registry import workflow_of
from . import events

# A definition could chain automatic transitions; never follow more than this many in one go.
MAX_AUTOMATIC_CHAIN = 5


def expect_version(row: Case | Proposal, version: int | None) -> None:
    """Refuse a change prepared on an older version of the case, or of the proposal a sign-off
    form was opened on (a form opened before an edit)."""
    if version is not None and version != row.version:
        raise Conflict(_l("This case was changed by someone else since you opened the page. "
                          "Check its current state, then try again."))


def touch(case: Case) -> None:
    """Mark the case changed, so that its version moves on and a concurrent stale write fails."""
    case.updated_at = utcnow()


def cancel_pending(actor, case: Case) -> None:
    proposal = case.pending_proposal
    if proposal is not None:
        proposal.status = "cancelled"
        proposal.decided_at = utcnow()
        events.record("case.proposal_cancelled", actor=actor, case=case, proposal_id=proposal.id,
                      trigger=proposal.trigger)


def enter_state(case: Case, state: str) -> None:
    """Remember when the case first reached `state` (the dashboard counts by these dates)."""
    if all(entry.state != state for entry in case.state_entries):
        case.state_entries.append(CaseStateEntry(
            state=state, entered_at=case.status_changed_at, commune_id=case.commune.id,
            days_after_report=(case.status_changed_at - case.created_at) / timedelta(days=1)))


def move(actor, case: Case, trigger: str, new_state: str, *, automatic: bool = False,
         **details) -> None:
    """Put the case in `new_state` and log the transition; the event trail replays to the status."""
    old_state = case.status
    case.status = new_state
    case.status_changed_at = utcnow()
    enter_state(case, new_state)
    touch(case)
    events.record("case.transition", actor=actor, case=case, trigger=trigger,
                  from_state=old_state, to_state=new_state, automatic=automatic, **details)


def run_automatic(actor, case: Case) -> None:
    """Fire the automatic transitions whose conditions now hold (after a follow-up, say)."""
    db.session.flush()
    workflow = workflow_of(case)
    for _ in range(MAX_AUTOMATIC_CHAIN):
        fired = workflow.fire_automatic(case, case.status)
        if fired is None:
            return
        transition, new_state = fired
        cancel_pending(actor, case)
        move(actor, case, transition.trigger, new_state, automatic=True)
        db.session.flush()
