"""A pending proposal withdrawn by the one who made it (terms found wrong before anyone signs,
the parties changed their minds): the case stays where it was, and a new one may be made."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import access
from ..clock import utcnow
from ..errors import Conflict, NotPermitted
from ..models import Proposal
from . import events
from .progress import expect_version, touch
from .validation import require_text


def withdraw_proposal(actor, proposal: Proposal, reason: str, *,
                      version: int | None = None) -> None:
    case = proposal.case
    if proposal.status != "pending":
        raise Conflict(_l("This proposal has already been decided."))
    if not access.can(actor, "withdraw_proposal", case, proposal=proposal):
        raise NotPermitted(_l("Only the person who made a proposal withdraws it."))
    expect_version(case, version)
    reason = require_text(reason, "reason", max_length=2000)
    proposal.status = "withdrawn"
    proposal.decided_at = utcnow()
    touch(case)
    events.record("case.proposal_withdrawn", actor=actor, case=case, proposal_id=proposal.id,
                  trigger=proposal.trigger, reason=reason)
