"""Signing off a proposal: each required role approves or rejects; the last approval fires it."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from workflows import TransitionNotAllowed

from .. import access
from ..clock import utcnow
from ..errors import Conflict, InvalidInput, NotPermitted
from ..extensions import db
from ..models import Proposal, SignOff
from ..vocabulary import SIGNOFF_DECISIONS
from ..workflow_registry import workflow_of
from . import events, notifications
from .progress import expect_version, move, run_automatic, touch
from .transitions import refusal
from .validation import require_choice


def sign_off(actor, proposal: Proposal, decision: str, comment: str = "", *,
             version: int | None = None) -> SignOff:
    """`version` is the proposal's, as the form was opened on, not the case's: only a change
    to the proposal itself (its terms, its status) makes the form stale, never a step, a file,
    a download or the other role's approval meanwhile."""
    case = proposal.case
    # A second click, or the other role's last sign-off, is told what happened before being
    # told that the page is out of date.
    if proposal.status != "pending":
        raise Conflict(_l("This proposal has already been decided."))
    if any(s.user_id == actor.id for s in proposal.signoffs):
        raise Conflict(_l("You have already signed off this proposal."))
    expect_version(proposal, version)
    roles = access.signable_roles(actor, proposal)
    if not roles:
        if proposal.proposed_by_id == actor.id:
            raise NotPermitted(_l("You cannot sign off your own proposal."))
        raise NotPermitted(_l("Your sign-off is not awaited on this proposal."))
    require_choice(decision, SIGNOFF_DECISIONS, "decision")
    comment = (comment or "").strip()
    if decision == "reject" and not comment:
        raise InvalidInput(_l("Say why you reject the proposal."), field="comment")
    signoff = SignOff(proposal=proposal, role=roles[0], user_id=actor.id, decision=decision,
                      comment=comment)
    db.session.add(signoff)
    touch(case)
    events.record("case.signed_off", actor=actor, case=case, proposal_id=proposal.id,
                  role=signoff.role, decision=decision, comment=comment)
    if decision == "reject":
        proposal.status = "rejected"
        proposal.decided_at = utcnow()
        events.record("case.proposal_rejected", actor=actor, case=case, proposal_id=proposal.id)
        notifications.tell_proposal_rejected(proposal)
    elif not proposal.awaited_roles:
        _complete(actor, proposal)
    run_automatic(actor, case)
    return signoff


def _complete(actor, proposal: Proposal) -> None:
    case = proposal.case
    try:
        new_state = workflow_of(case).complete(case, case.status, proposal.trigger)
    except TransitionNotAllowed as error:
        raise refusal(error) from error
    proposal.status = "approved"
    proposal.decided_at = utcnow()
    move(actor, case, proposal.trigger, new_state, proposal_id=proposal.id,
         proposed_by=proposal.proposed_by_id)
