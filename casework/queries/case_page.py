"""Everything the case page shows: state, what happens next, actions, log, proposals, history."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import access
from ..extensions import db
from ..i18n import locale_code
from ..models import Case, Event
from ..services.followups import milestones
from ..vocabulary import FOLLOW_UP_OUTCOMES, ROLES, STEP_KINDS, label
from ..workflow import workflow_of

# What a person reads when a transition waits for a condition.
CONDITION_HINTS = {
    "team_assigned": _l("a reconciliation team must be assigned"),
    "step_logged": _l("at least one mediation step must be logged"),
    "follow_ups_done": _l("the planned follow-up visits must be recorded"),
    "agreement_holds": _l("the follow-up visits must find the agreement respected"),
    "agreement_broken": _l("a follow-up visit finds the agreement broken"),
    "not:gender_based_violence": _l("a case of gender-based violence is never mediated: "
                                    "it can only be referred"),
}


def condition_hint(name: str):
    return CONDITION_HINTS.get(name, name)


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


# Events of a case that changed nothing in it: kept in the log, not told in its history.
NOT_HISTORY = ("case.viewed",)


def history(case: Case) -> list[Event]:
    return list(db.session.scalars(
        select(Event).where(Event.case_id == case.id, Event.kind.like("case.%"),
                            Event.kind.not_in(NOT_HISTORY))
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
        "locale": locale,
    }


def describe_event(event: Event, workflow, locale: str) -> str:
    """One line of the case history, in the reader's language."""
    data = event.data or {}
    kind = event.kind
    if kind == "case.reported":
        return str(_l("reported the conflict"))
    if kind == "case.team_assigned":
        return str(_l("set the reconciliation team (%(n)d members)", n=len(data.get("team", []))))
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
    if kind == "case.transition":
        def state_label(name):
            return workflow.state(name).label(locale) if name in workflow.states else name
        line = str(_l("%(from)s → %(to)s", **{"from": state_label(data.get("from_state")),
                                              "to": state_label(data.get("to_state"))}))
        if data.get("automatic"):
            line += " " + str(_l("(automatic)"))
        return line
    return kind
