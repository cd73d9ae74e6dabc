"""Everything the case page shows: state, what happens next, actions, log, proposals, history."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import select

from .. import access
from ..extensions import db
from ..files.content import TYPE_LABELS
from ..i18n import locale_code, short_date
from ..models import Attachment, Case, CasePartner, Event, IntakeRecord, Partner
from ..transition_forms import TRANSITION_FORMS
from ..vocabulary import (
    COFO_OUTCOMES,
    CONFLICT_TYPES,
    FOLLOW_UP_OUTCOMES,
    ROLES,
    STEP_KINDS,
    label,
)
from ..workflow_diagrams import describe, drawing
from ..workflow_registry import condition_hint, workflow_of
from . import referrals
from .merges import with_merged
from .milestones import milestones, open_milestones


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


@dataclass(frozen=True)
class PageAction:
    """A button of the case page: `lead` ones (what to do now) are filled and come first;
    the others (rarer, or ending the case early) are outlined and grouped after them."""

    label: str
    endpoint: str
    args: dict = field(default_factory=dict)
    lead: bool = True


def _goes_on(workflow, case: Case, *, without_referral: bool = False) -> bool:
    """Whether the case can still go on from here to a state that is not final (possibly
    once a condition is met), through a referral too unless `without_referral`: then a
    transition to a final state (or, without a referral, one that sends the case to a
    service) is a rarer way out."""
    return any(not t.automatic and not workflow.state(t.dest).final
               and not (without_referral and TRANSITION_FORMS[t.form].sends_referral)
               and not any(u.startswith("not:") for u in workflow.unmet(t, case))
               for t in workflow.outgoing(case.status))


def _needs_team(workflow, case: Case) -> bool:
    """Whether a way out of the case's state waits for a team (a referral does not)."""
    return any("team_assigned" in t.requires for t in workflow.outgoing(case.status))


def actions_now(user, case: Case, intake: IntakeRecord | None = None) -> list[PageAction]:
    """What `user` may do on the case now, the one or two usual next steps first."""
    workflow, locale, ref = workflow_of(case), locale_code(), {"reference": case.reference}
    found = [PageAction(str(_l("Sign off the agreement")), "cases.sign_off",
                        {**ref, "proposal_id": p.id})
             for p in case.proposals if access.signable_roles(user, p)]
    if intake is not None and intake.to_verify and access.can(user, "verify_report", case):
        found.append(PageAction(str(_l("Check the report")), "cases.verify", ref))
    if access.can(user, "assign_team", case):  # leads while the next step needs a team
        found.append(PageAction(str(_l("Assign the team")), "cases.assign_team", ref,
                                lead=not case.team and _needs_team(workflow, case)))
    goes_on = _goes_on(workflow, case)
    goes_on_here = _goes_on(workflow, case, without_referral=True)
    # The rarer ways out are outlined: those that end the case while it can go on, and those
    # that send it to a service (the COFO, with no agreement) while it can go on without one;
    # a gender-based violence case, which only a referral takes on, leads to the referral.
    found += [PageAction(t.label(locale), "cases.transition", {**ref, "trigger": t.trigger},
                         lead=not (goes_on and workflow.state(t.dest).final
                                   or goes_on_here and TRANSITION_FORMS[t.form].sends_referral))
              for t in access.offered_transitions(user, case)]
    if access.can(user, "log_step", case):
        found.append(PageAction(str(_l("Log a mediation step")), "cases.log_step", ref))
    if access.can(user, "record_follow_up", case):  # leads while a planned visit is due
        found.append(PageAction(str(_l("Record a follow-up visit")), "cases.record_follow_up",
                                ref, lead=bool(open_milestones(case))))
    return sorted(found, key=lambda action: not action.lead)  # stable: leads first


def attachments_of(case: Case) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.case_id == case.id)
                                   .order_by(Attachment.created_at, Attachment.id)))


# Events of a case that changed nothing in it (a download, a confidential case opened): kept in
# the log for the audit, not told in its history, which they would crowd out.
NOT_IN_HISTORY = ("case.attachment_downloaded", "case.viewed")


def history(case: Case, since: int | None = None) -> list[Event]:
    """What happened to the case, and to the duplicate reports merged into it. `since` a
    version: what happened to the case itself from that version on (each event keeps the
    version it was written on; a merged report's versions were its own), told under a form
    that came back 409."""
    cases = with_merged(case) if since is None else [case.id]
    query = select(Event).where(Event.case_id.in_(cases), Event.kind.like("case.%"),
                                Event.kind.not_in(NOT_IN_HISTORY))
    if since is not None:
        query = query.where(Event.case_version >= since)
    return list(db.session.scalars(query.order_by(Event.created_at, Event.id)))


def credited_partner(case: Case) -> Partner | None:
    """The partner organisation credited with the case, if any."""
    return db.session.scalar(select(Partner).join(CasePartner,
                                                  CasePartner.partner_id == Partner.id)
                             .where(CasePartner.case_id == case.id))


def context(user, case: Case) -> dict:
    workflow = workflow_of(case)
    locale = locale_code()
    intake = db.session.scalar(select(IntakeRecord).where(IntakeRecord.case_id == case.id))
    visited = {entry.state for entry in case.state_entries} | {case.status}
    referred = _was_referred(workflow, visited)
    return {
        "case": case,
        "workflow": workflow,
        "state": workflow.state(case.status),
        "state_label": workflow.state(case.status).label(locale),
        "actions": access.offered_transitions(user, case),
        "next_steps": next_steps(case),
        "sees_identities": access.sees_identities(user, case),
        "may_correct": access.can(user, "correct", case),
        "may_move": access.may_move(user, case),
        "may_merge": access.can(user, "merge", case),
        "partner": credited_partner(case),
        "milestones": milestones(case),
        "history": history(case),
        "signable": {p.id: access.signable_roles(user, p) for p in case.proposals},
        "attachments": (attachments_of(case) if access.can(user, "see_attachments", case)
                        else []),
        "file_types": TYPE_LABELS,
        "locale": locale,
        "diagram": drawing(workflow, locale),
        "diagram_description": describe(workflow, locale),
        "visited_states": visited,
        # A KoboToolbox submission or an SMS: where the case came from (casework/intake).
        "intake": intake,
        "page_actions": actions_now(user, case, intake),
        # Where it was referred and what the service answered (read only once referred),
        # and the COFO's conciliation record of a land case sent to it.
        "referrals": referrals.of_case(case) if referred else [],
        "cofo_records": case.cofo_conciliations if referred else [],
    }


def _was_referred(workflow, visited: set[str]) -> bool:
    """Whether the case ever entered a state counted as referred (the present one among
    them), or one that a referral's form sends it to (the COFO): only then are its referrals
    read."""
    if any("referred" in workflow.states[name].tags
           for name in visited if name in workflow.states):
        return True
    sent_to = {t.dest for t in workflow.transitions
               if TRANSITION_FORMS[t.form].sends_referral}
    return bool(sent_to & visited)


REFERRAL_EVENTS = {"referral.sent": _l("sent the referral to the service"),
                   "referral.accepted": _l("the service accepted the referral"),
                   "referral.declined": _l("the service declined the referral"),
                   "referral.outcome_recorded": _l("the service recorded the referral's outcome")}
CORRECTIONS = {"case.corrected": _l("corrected the case: %(fields)s"),
               "case.step_corrected": _l("corrected a mediation step: %(fields)s"),
               "case.follow_up_corrected": _l("corrected a follow-up visit: %(fields)s")}
FIELD_NAMES = {"village": _l("village"), "conflict_type": _l("type of conflict"),
               "facts_date": _l("date of the facts"), "description": _l("what happened"),
               "parties": _l("parties"), "step_date": _l("date"), "kind": _l("kind of step"),
               "place": _l("place"), "women": _l("women"), "men": _l("men"),
               "young_women": _l("young women"), "young_men": _l("young men"),
               "summary": _l("what was said and done"), "outcome": _l("outcome"),
               "next_step": _l("next step"), "next_step_date": _l("date of the next step"),
               "visit_date": _l("date of the visit"), "notes": _l("notes")}
# A visit's `outcome` is what it found, not a step's outcome.
VISIT_FIELD_NAMES = {**FIELD_NAMES, "outcome": _l("finding")}


def _correction_line(kind: str, data: dict) -> str:
    """Which fields a correction changed; a non-confidential case's village, type and date,
    and a visit's finding, with their former and new values (the event keeps no other)."""
    told = []
    names = VISIT_FIELD_NAMES if kind == "case.follow_up_corrected" else FIELD_NAMES
    for name in data.get("fields", []):
        text = str(names.get(name, name))
        if name in (data.get("values") or {}):
            old, new = data["values"][name]
            if name == "conflict_type":
                old, new = label(CONFLICT_TYPES, old), label(CONFLICT_TYPES, new)
            elif name == "outcome":
                old, new = label(FOLLOW_UP_OUTCOMES, old), label(FOLLOW_UP_OUTCOMES, new)
            elif name == "facts_date":
                old, new = (short_date(date.fromisoformat(v)) if v else None
                            for v in (old, new))
            text += " " + str(_l("(%(old)s → %(new)s)", old=old or "—", new=new or "—"))
        told.append(text)
    return str(CORRECTIONS[kind]) % {"fields": ", ".join(told)}


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
    if kind in CORRECTIONS:
        return _correction_line(kind, data)
    if kind == "case.proposal_withdrawn":
        return str(_l("withdrew the proposed agreement"))
    if kind == "case.commune_moved":
        return str(_l("moved the case from %(old)s to %(new)s: %(former)s is now %(reference)s",
                      old=data.get("from_commune"), new=data.get("to_commune"),
                      former=data.get("former_reference"), reference=data.get("reference")))
    if kind == "case.merged":
        return str(_l("merged the duplicate report %(reference)s into this case (parties "
                      "added: %(parties)s; steps: %(steps)s; files: %(files)s)",
                      reference=data.get("merged_reference"), parties=data.get("parties", 0),
                      steps=data.get("steps", 0), files=data.get("attachments", 0)))
    if kind == "case.merged_into":
        return str(_l("merged this report into %(reference)s",
                      reference=data.get("reference")))
    if kind == "case.partner_credited":
        return str(_l("credited the case to the partner %(partner)s",
                      partner=data.get("to_partner") or "—"))
    if kind == "case.attachment_added":
        return str(_l("attached a file (%(type)s)",
                      type=TYPE_LABELS.get(data.get("content_type"), "?")))
    if kind == "case.workflow_upgraded":
        return str(_l("moved to version %(version)s of the workflow by the administration",
                      version=data.get("to_version")))
    if kind in REFERRAL_EVENTS:
        return str(REFERRAL_EVENTS[kind])
    if kind == "cofo.conciliation_recorded":
        return str(_l("entered the COFO's record: %(outcome)s",
                      outcome=label(COFO_OUTCOMES, data.get("outcome"))))
    if kind == "case.transition":
        def state_label(name):
            return workflow.state(name).label(locale) if name in workflow.states else name
        line = str(_l("%(from)s → %(to)s", **{"from": state_label(data.get("from_state")),
                                              "to": state_label(data.get("to_state"))}))
        if data.get("automatic"):
            line += " " + str(_l("(automatic)"))
        return line
    return kind
