"""Firing a workflow transition on a case, or proposing it when it needs sign-offs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from workflows import TransitionNotAllowed

from .. import access
from ..errors import Conflict, InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case, Proposal
from ..transition_forms import COFO_RECORD, TRANSITION_FORMS, FormField
from ..workflow_registry import workflow_of
from . import cofo, events, referrals, verification
from .attachments import CheckedFile
from .progress import cancel_pending, expect_version, move, run_automatic, touch
from .validation import require_choice, require_text


@dataclass
class TransitionInput:
    """What a transition's form carried: one attribute per field of TRANSITION_FORMS."""

    agreement_text: str | None = None
    witnesses: str | None = None
    note: str | None = None
    referral_target: str | None = None
    service_id: int | None = None
    consent: str | None = None
    consent_by: str | None = None
    consent_how: str | None = None
    consent_on: date | None = None
    conciliation_date: date | None = None
    cofo_outcome: str | None = None
    pv_number: str | None = None
    # A file field: checked by the page before (attachments.check_upload), never on the event.
    pv_file: CheckedFile | None = None


def _value(f: FormField, value):
    """One field of a transition's form, checked as its entry in TRANSITION_FORMS says."""
    if f.kind == "service":
        return value if isinstance(value, int) and not isinstance(value, bool) else None
    if f.kind == "date":  # kept on the event as text
        return value.isoformat() if isinstance(value, date) else None
    if f.kind == "choice":
        if not f.required and value in (None, ""):
            return ""
        return require_choice(value, f.choices, f.name)
    if f.required:
        value = require_text(value, f.name, max_length=f.max_length)
    elif value is not None and len(value) > f.max_length:
        raise InvalidInput(_l("At most %(n)d characters.", n=f.max_length), field=f.name)
    if f.kind == "lines":
        return "\n".join(line.strip() for line in (value or "").splitlines() if line.strip())
    return (value or "").strip()


def _details(form: str | None, data: TransitionInput) -> dict:
    """What the transition's form must carry, checked; stored on the event (and the case)."""
    return {f.name: _value(f, getattr(data, f.name)) for f in TRANSITION_FORMS[form].fields
            if f.kind != "file"}


def refusal(error: TransitionNotAllowed):
    """The error a person sees when the engine refuses: 403 for a role, 409 for a state."""
    if error.reason == "role not allowed":
        return NotPermitted(_l("You cannot do this on this case."))
    return Conflict(_l("This action is no longer possible on this case in its current state."))


def _refuse_unchecked_work(case: Case, workflow, transition) -> None:
    """A report by SMS or KoboToolbox still to check may be closed (not admissible, referred),
    but the work on it starts once it is checked: until then the figures leave it out."""
    if case.status == workflow.initial and not workflow.state(transition.dest).final \
            and verification.waiting_check(case) is not None:
        raise Conflict(_l("Check the report first (the button at the top of the case): the "
                          "mediation starts on facts confirmed with the person who sent them."))


def fire(actor, case: Case, trigger: str, data: TransitionInput | None = None, *,
         version: int | None = None) -> Proposal | None:
    """Fire `trigger` on `case` for `actor`; returns the proposal when it needs sign-offs."""
    data = data or TransitionInput()
    expect_version(case, version)
    workflow = workflow_of(case)
    pending = case.pending_proposal
    if pending is not None and pending.trigger == trigger:
        raise Conflict(_l("This agreement is already waiting for its sign-offs."))
    roles = access.case_roles(actor, case)
    try:
        # Each condition is evaluated once: by the check, whose answers the firing reuses.
        firing = workflow.prepare(case, case.status, trigger, roles)
        transition = firing.transition
        _refuse_unchecked_work(case, workflow, transition)
        details = _details(transition.form, data)
        registered = TRANSITION_FORMS[transition.form]
        # A referral names its service of the directory (checked before anything moves).
        service = (referrals.check(case, details, registered.service_kind)
                   if registered.sends_referral else None)
        # The COFO's record answers the case's referral to the COFO.
        answered = cofo.check(case, details) if transition.form == COFO_RECORD else None
        if transition.needs_signoffs:
            return _propose(actor, case, transition, details)
        new_state = firing.run()
    except TransitionNotAllowed as error:
        raise refusal(error) from error
    cancel_pending(actor, case)
    for name, column in TRANSITION_FORMS[transition.form].on_case.items():
        setattr(case, column, details[name] or None)
    move(actor, case, trigger, new_state, **details)
    if service is not None:
        referrals.send(actor, case, service, details, transition.answer_days)
    if answered is not None:
        cofo.keep(actor, case, answered, details, data.pv_file)
    run_automatic(actor, case)
    return None


def _propose(actor, case: Case, transition, details: dict) -> Proposal:
    proposal = Proposal(
        case=case, trigger=transition.trigger, from_state=case.status, to_state=transition.dest,
        agreement_text=details.get("agreement_text", ""),
        witnesses=details.get("witnesses", ""), required_roles=list(transition.signoffs),
        proposed_by_id=actor.id)
    db.session.add(proposal)
    touch(case)
    db.session.flush()
    events.record("case.proposed", actor=actor, case=case, proposal_id=proposal.id,
                  trigger=transition.trigger, awaiting=list(transition.signoffs))
    return proposal
