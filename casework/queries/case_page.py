"""Everything the case page shows: state, what happens next, actions, log, proposals, history."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from .. import access
from ..diagrams import describe, drawing
from ..extensions import db
from ..i18n import locale_code
from ..models import Case, Event, IntakeRecord
from ..files.content import TYPE_LABELS
from ..services.attachments import attachments_of
from ..services.followups import milestones
from ..vocabulary import FOLLOW_UP_OUTCOMES, ROLES, STEP_KINDS, label
from ..workflow import condition_hint, workflow_of

def next_steps(case: Case) -> list[str]:
    """Plain sentences saying what the case waits for, from the definition itself."""
    workflow = workflow_of(case)
    locale = locale_code()
    lines = []
    proposal = case.pending_proposal
    if proposal is not None:
        roles = ", ".join(str(ROLES[r]) for r in proposal.awaited_roles)
        lines.append(str(_l("The agreement waits for the sign-off of: %(roles)s.", roles=roles)))
    for transition, unmet in workflow.waiting(case, case.status):
        hints = "; ".join(str(condition_hint(name)) for name in unmet)
        lines.append(str(_l("%(action)s: %(hints)s.", action=transition.label(locale),
                            hints=hints)))
    return lines


# Events of a case that changed nothing in it (a download, a confidential case opened): kept in
# the log for the audit, not told in its history, which they would crowd out.
NOT_IN_HISTORY = ("case.attachment_downloaded", "case.viewed")


def history(case: Case) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.case_id == case.id, Event.kind.like("case.%"),
                            Event.kind.not_in(NOT_IN_HISTORY))
        .order_by(Event.created_at, Event.id)))


def context(user, case: Case) -> dict:
    workflow = workflow_of(case)
    locale = locale_code()
    return {
        "case": case,
        "workflow": workflow,
        "state": workflow.state(case.status),
        "state_label": workflow.state(case.status).label(locale),
        "actions": access.offered_transitions(user, case),
        "next_steps": next_steps(case),
        "sees_identities": access.sees_identities(user, case),
        "milestones": milestones(case),
        "history": history(case),
        "signable": {p.id: access.signable_roles(user, p) for p in case.proposals},
        "attachments": (attachments_of(case) if access.can(user, "see_attachments", case)
                        else []),
        "file_types": TYPE_LABELS,
        "locale": locale,
        "diagram": drawing(workflow, locale),
        "diagram_description": describe(workflow, locale),
        "visited_states": {entry.state for entry in case.state_entries},
        # A KoboToolbox submission or an SMS: where the case came from (casework/intake).
        "intake": db.session.scalar(select(IntakeRecord)
                                    .where(IntakeRecord.case_id == case.id)),
    }


def describe_event(event: Event, workflow, locale: str) -> str:
    """One line of the case history, in the reader's language."""
    data = event.data or {}
    kind = event.kind
    if kind == "case.reported":
        return str(_l("reported the conflict"))
    if kind == "case.team_assigned":
        return ngettext("set the reconciliation team (%(num)d member)",
                        "set the reconciliation team (%(num)d members)", len(data.get("team", [])))
    if kind == "case.step_logged":
        return str(_l("logged a step: %(kind)s", kind=label(STEP_KINDS, data.get("kind"))))
    if kind == "case.proposed":
        return str(_l("proposed an agreement"))
    if kind == "case.signed_off":
        text = _l("approved the agreement as %(role)s") if data.get("decision") == "approve" \
            else _l("rejected the agreement as %(role)s")
        return str(text) % {"role": label(ROLES, data.get("role"))}
    if kind == "case.proposal_rejected":
        return str(_l("the proposal is rejected; the case stays where it was"))
    if kind == "case.proposal_cancelled":
        return str(_l("the pending proposal is cancelled"))
    if kind == "case.follow_up_recorded":
        return str(_l("recorded a follow-up visit: %(outcome)s",
                      outcome=label(FOLLOW_UP_OUTCOMES, data.get("outcome"))))
    if kind == "case.attachment_added":
        return str(_l("attached a file (%(type)s)",
                      type=TYPE_LABELS.get(data.get("content_type"), "?")))
    if kind == "case.transition":
        def state_label(name):
            return workflow.state(name).label(locale) if name in workflow.states else name
        line = str(_l("%(from)s → %(to)s", **{"from": state_label(data.get("from_state")),
                                              "to": state_label(data.get("to_state"))}))
        if data.get("automatic"):
            line += " " + str(_l("(automatic)"))
        return line
    return kind
