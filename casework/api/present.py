"""Cases as the API sends them, hiding what the case page hides from the same person."""
from __future__ import annotations

from .. import access
from ..i18n import locale_code
from ..models import Case, User
from ..queries.case_page import next_steps
from ..queries.milestones import milestones, open_milestones
from ..workflow_registry import workflow_of


def commune(row) -> dict:
    return {"id": row.id, "code": row.code, "name": row.name}


def person(user: User) -> dict:
    return {"id": user.id, "full_name": user.full_name}


def summary(case: Case) -> dict:
    state = workflow_of(case).state(case.status)
    return {
        "reference": case.reference, "commune": commune(case.commune), "village": case.village,
        "conflict_type": case.conflict_type, "status": case.status,
        "status_label": state.label(locale_code()), "urgency": case.urgency,
        "confidential": case.confidential, "workflow": case.workflow,
        "workflow_version": case.workflow_version, "created_at": case.created_at,
        "updated_at": case.updated_at, "status_changed_at": case.status_changed_at,
        "version": case.version,
    }


def detail(user: User, case: Case) -> dict:
    """Everything the case page shows `user`; what it hides is null here."""
    sees = access.sees_identities(user, case)

    def shown(value):
        return value if sees else None

    return {
        **summary(case),
        "identities_hidden": not sees,
        "facts_date": case.facts_date, "description": shown(case.description),
        "violence": case.violence, "injuries": case.injuries, "deaths": case.deaths,
        "reporter_name": shown(case.reporter_name), "channel": case.channel,
        "referral_target": case.referral_target, "decision_note": shown(case.decision_note),
        "created_by": person(case.created_by),
        "parties": [{"position": p.position, "name": shown(p.name), "sex": p.sex,
                     "age_group": p.age_group, "kind": p.kind,
                     "people_count": p.people_count} for p in case.parties],
        "team": [person(member.user) for member in case.team],
        "steps": [{"id": s.id, "step_date": s.step_date, "kind": s.kind, "place": shown(s.place),
                   "women": s.women, "men": s.men, "young_women": s.young_women,
                   "young_men": s.young_men, "summary": shown(s.summary),
                   "outcome": shown(s.outcome), "next_step": shown(s.next_step),
                   "next_step_date": s.next_step_date, "created_at": s.created_at}
                  for s in case.steps],
        "proposals": [{
            "id": p.id, "trigger": p.trigger, "status": p.status, "from_state": p.from_state,
            "to_state": p.to_state, "agreement_text": shown(p.agreement_text),
            "required_roles": list(p.required_roles), "awaited_roles": p.awaited_roles,
            "proposed_by": person(p.proposed_by), "proposed_at": p.proposed_at,
            "decided_at": p.decided_at, "version": p.version,
            "signoffs": [{"role": s.role, "decision": s.decision, "comment": shown(s.comment),
                          "user": person(s.user), "signed_at": s.signed_at}
                         for s in p.signoffs]} for p in case.proposals],
        "follow_ups": [{"id": f.id, "proposal_id": f.proposal_id,
                        "milestone_days": f.milestone_days, "visit_date": f.visit_date,
                        "outcome": f.outcome, "notes": shown(f.notes)} for f in case.follow_ups],
        "milestones": [{"days": m.days, "due": m.due,
                        "follow_up_id": m.visit.id if m.visit else None}
                       for m in milestones(case)],
        "next_steps": next_steps(case),
    }


def actions(user: User, case: Case) -> dict:
    """What `user` may do on `case` now: the buttons its page would show them."""
    locale = locale_code()
    return {
        "version": case.version,
        "transitions": [{"trigger": t.trigger, "label": t.label(locale), "dest": t.dest,
                         "form": t.form, "needs_signoffs": t.needs_signoffs}
                        for t in access.offered_transitions(user, case)],
        "sign_offs": [{"proposal_id": p.id, "version": p.version, "roles": roles}
                      for p in case.proposals if (roles := access.signable_roles(user, p))],
        "log_step": access.can(user, "log_step", case),
        "record_follow_up": access.can(user, "record_follow_up", case),
        "open_milestones": (open_milestones(case)
                            if access.can(user, "record_follow_up", case) else []),
        "assign_team": access.can(user, "assign_team", case),
        "correct": access.can(user, "correct", case),
        "withdraw": [p.id for p in case.proposals
                     if access.can(user, "withdraw_proposal", case, proposal=p)],
        "move_to": [c.id for c in access.move_targets(user, case)],
        "merge": access.can(user, "merge", case),
    }


def workflow(definition) -> dict:
    return {
        "name": definition.name, "version": definition.version, "title": dict(definition.title),
        "initial": definition.initial,
        "states": [{"name": s.name, "labels": dict(s.labels), "final": s.final,
                    "sla_days": s.sla_days, "warn_days": s.warn_days,
                    "idle_days": s.idle_days, "follow_up_days": list(s.follow_up_days),
                    "allows": sorted(s.allows), "tags": sorted(s.tags)}
                   for s in definition.states.values()],
        "transitions": [{"trigger": t.trigger, "labels": dict(t.labels or {}),
                         "sources": list(t.sources), "dest": t.dest, "by": list(t.by),
                         "requires": list(t.requires), "unless": list(t.unless),
                         "signoffs": list(t.signoffs), "reminder_days": t.reminder_days,
                         "escalation_days": t.escalation_days, "form": t.form,
                         "automatic": t.automatic, "on_referral": t.on_referral}
                        for t in definition.transitions],
    }
