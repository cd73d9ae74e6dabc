"""What casework registers with the workflow engine (conditions, forms, activities), and where
the loaded engine and a case's workflow are found."""
from flask import current_app
from flask_babel import lazy_gettext as _l

from workflows import Engine, Workflow

from .transition_forms import FORM_NAMES
from .vocabulary import CASE_ROLES, CONFLICT_TYPES, GBV, REFERRAL_STATUSES

# What a state may let the team record (see `allows:` in the definitions).
ACTIVITIES = ("steps", "follow_ups")
# What a state counts as (`tags:` in the definitions): the figures, the report and the lists
# name tags, never states, so that a new workflow is counted as data alone.
STATE_TAGS = {
    "in_mediation": "the team mediates: a case that entered it was taken on",
    "resolved": "an agreement was signed (or the COFO conciliated the parties): resolved",
    "referred": "handed to another service",
    "closed": "closed by the coordination after its follow-up",
    "not_admissible": "found not admissible",
    "final_outcome": "where the case ends (closed, referred, not admissible...)",
}


def _visits_of_current_agreement(case):
    agreement = case.current_agreement
    if agreement is None:
        return []
    visits = [f for f in case.follow_ups if f.proposal_id == agreement.id]
    return sorted(visits, key=lambda f: (f.visit_date, f.id or 0))


def team_assigned(case, _workflow: Workflow) -> bool:
    return bool(case.team)


def step_logged(case, _workflow: Workflow) -> bool:
    return bool(case.steps)


def planned_visits(case, workflow: Workflow, agreement=None) -> dict:
    """The planned visits of the case's current agreement (or of `agreement`): the
    `follow_up_days` of the state it led to, each with its visit if made. The one rule that
    queries/milestones.py dates (when each is due) and the condition below reads."""
    agreement = agreement or case.current_agreement
    if agreement is None or agreement.decided_at is None:
        return {}
    visits = {f.milestone_days: f for f in case.follow_ups if f.proposal_id == agreement.id}
    return {days: visits.get(days) for days in workflow.state(agreement.to_state).follow_up_days}


def follow_ups_done(case, workflow: Workflow) -> bool:
    return all(visit is not None for visit in planned_visits(case, workflow).values())


def agreement_broken(case, _workflow: Workflow) -> bool:
    visits = _visits_of_current_agreement(case)
    return bool(visits) and visits[-1].outcome == "broken"


def agreement_holds(case, workflow: Workflow) -> bool:
    return bool(_visits_of_current_agreement(case)) and not agreement_broken(case, workflow)


def _cofo_outcome(case):
    """The outcome of the COFO's latest conciliation of the case (models/cofo.py), if any."""
    records = case.cofo_conciliations
    return records[-1].outcome if records else None


def cofo_conciliation_reached(case, _workflow: Workflow) -> bool:
    return _cofo_outcome(case) == "reached"


def cofo_conciliation_failed(case, _workflow: Workflow) -> bool:
    return _cofo_outcome(case) == "failed"


def gender_based_violence(case, _workflow: Workflow) -> bool:
    return case.conflict_type == GBV


CONDITIONS = {
    "team_assigned": team_assigned,
    "step_logged": step_logged,
    "follow_ups_done": follow_ups_done,
    "agreement_holds": agreement_holds,
    "agreement_broken": agreement_broken,
    "cofo_conciliation_reached": cofo_conciliation_reached,
    "cofo_conciliation_failed": cofo_conciliation_failed,
    "gender_based_violence": gender_based_violence,
}


# What a person reads when a transition waits for a condition.
CONDITION_HINTS = {
    "team_assigned": _l("a reconciliation team must be assigned"),
    "step_logged": _l("at least one mediation step must be logged"),
    "follow_ups_done": _l("the planned follow-up visits must be recorded"),
    "agreement_holds": _l("the follow-up visits must find the agreement respected"),
    "agreement_broken": _l("a follow-up visit finds the agreement broken"),
    "cofo_conciliation_reached": _l("the COFO's record must say the conciliation is reached"),
    "cofo_conciliation_failed": _l("the COFO's record must say the conciliation failed"),
    "not:gender_based_violence": _l("a case of gender-based violence is never mediated: "
                                    "it can only be referred"),
}


def condition_hint(name: str):
    return CONDITION_HINTS.get(name, name)


# Conditions that never hold together: automatic transitions from one state are told apart
# by them (the engine refuses two that could fire at once).
EXCLUSIVE = (("agreement_holds", "agreement_broken"),
             ("cofo_conciliation_reached", "cofo_conciliation_failed"))
# Who a `by:` may name: the roles of the case work, and a focal point of the service the
# case's open referral is addressed to (access.case_roles).
SERVICE_FOCAL_POINT = "service_focal_point"
WORKFLOW_ROLES = (*CASE_ROLES, SERVICE_FOCAL_POINT)
# An invariant of every workflow, checked by the engine at load and at every fire: a case of
# gender-based violence never enters a state where mediation steps are logged.
NEVER_ENTER = {"gender_based_violence": "steps"}
# What the service a case was referred to answers (services/referrals.py): a transition with
# `on_referral: <answer>` moves the case when it does.
REFERRAL_ANSWERS = tuple(status for status in REFERRAL_STATUSES if status != "sent")


def facts_of(conflict_type: str) -> dict:
    """What a definition's `serves:` may ask about a new case."""
    return {"conflict_type": conflict_type, "gender_based_violence": conflict_type == GBV}


def new_engine() -> Engine:
    """An engine that knows what the application registers, with no definition loaded yet."""
    return Engine(roles=WORKFLOW_ROLES, conditions=CONDITIONS, forms=FORM_NAMES,
                  activities=ACTIVITIES, tags=STATE_TAGS,
                  kinds=[facts_of(t) for t in CONFLICT_TYPES],
                  exclusive=EXCLUSIVE, never_enter=NEVER_ENTER,
                  referral_answers=REFERRAL_ANSWERS)


def build_engine(directory: str) -> Engine:
    """Load and validate every definition; WorkflowDefinitionError names file and problem."""
    engine = new_engine()
    engine.load_directory(directory)
    return engine


def engine() -> Engine:
    return current_app.extensions["palabre.engine"]


def workflow_of(case) -> Workflow:
    """The version the case started on (or was upgraded to): a case keeps it for life."""
    return engine().get(case.workflow, case.workflow_version)


def workflow_for_new_case(conflict_type: str) -> Workflow:
    """The latest version of the one workflow whose `serves:` takes such a case."""
    return engine().serving(facts_of(conflict_type))


def state_labels() -> dict[str, str]:
    """Every state of every loaded workflow, with its label in the current language."""
    from .i18n import locale_code
    locale = locale_code()
    labels: dict[str, str] = {}
    for workflow in engine().workflows():
        for name, state in workflow.states.items():
            labels.setdefault(name, state.label(locale))
    return labels


def open_states() -> list[str]:
    """States that are not final in any loaded workflow, in definition order."""
    names: dict[str, None] = {}
    for workflow in engine().workflows():
        names.update((name, None) for name, state in workflow.states.items() if not state.final)
    return list(names)


def tagged_states(tag: str) -> list[str]:
    """The states that carry `tag` in any loaded workflow, in definition order."""
    if tag not in STATE_TAGS:
        raise KeyError(f"unknown state tag {tag!r}")
    names: dict[str, None] = {}
    for workflow in engine().workflows():
        names.update(dict.fromkeys(workflow.tagged(tag)))
    return list(names)


def signing_roles() -> tuple[str, ...]:
    """The roles that sign some proposal: the union of the loaded definitions' `signoffs`."""
    roles: dict[str, None] = {}
    for workflow in engine().workflows():
        roles.update(dict.fromkeys(workflow.signing_roles))
    return tuple(roles)
