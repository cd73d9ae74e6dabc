"""Action plans of a mechanism: their period and objectives, their activities with a budget in
whole FCFA and a status, and the cases of the commune each plan supports."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from .. import access
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..models import ActionPlan, Case, Mechanism, PlannedActivity
from ..vocabulary import ACTIVITY_KINDS, PLANNED_STATUSES
from . import events
from .mechanisms import expect_version
from .validation import require_choice, require_text, require_whole

# No plan of a commune comes near a billion FCFA; the database's INTEGER stops at 2**31 - 1.
MAX_FCFA = 1_000_000_000


def require_planning(actor, mechanism: Mechanism) -> None:
    if not access.can(actor, "edit_plan", commune_id=mechanism.commune_id):
        raise NotPermitted(_l("Only the commune's mediators and its coordinators write its "
                              "action plans."))


def _record(event_kind: str, actor, plan: ActionPlan, **data) -> None:
    events.record(event_kind, actor=actor, mechanism_id=plan.mechanism_id,
                  commune_id=plan.mechanism.commune_id, plan_id=plan.id, **data)


@dataclass
class PlanInput:
    title: str
    starts_on: date
    ends_on: date
    objectives: str
    case_ids: list[int] = field(default_factory=list)


def supportable_cases(mechanism: Mechanism) -> list[Case]:
    """Cases a plan may support: the commune's, except confidential ones (never mediated)."""
    return list(db.session.scalars(
        select(Case).where(Case.commune_id == mechanism.commune_id,
                           Case.confidential.is_(False), access.UNMERGED)
        .order_by(Case.created_at.desc(), Case.id.desc())))


def _check_plan(mechanism: Mechanism, data: PlanInput) -> list[Case]:
    data.title = require_text(data.title, "title", max_length=160)
    data.objectives = require_text(data.objectives, "objectives", max_length=10000)
    if data.starts_on is None:
        raise InvalidInput(_l("This field is required."), field="starts_on")
    if data.ends_on is None:
        raise InvalidInput(_l("This field is required."), field="ends_on")
    if data.ends_on < data.starts_on:
        raise InvalidInput(_l("The end of the period cannot come before its start."),
                           field="ends_on")
    wanted = set(data.case_ids or [])
    cases = list(db.session.scalars(select(Case).where(Case.id.in_(sorted(wanted))))) \
        if wanted else []
    if len(cases) != len(wanted) or any(c.commune_id != mechanism.commune_id for c in cases):
        raise InvalidInput(_l("A plan supports only cases of its own commune."),
                           field="case_ids")
    if any(c.confidential for c in cases):
        raise InvalidInput(_l("A confidential case is never mediated: it cannot be supported "
                              "by a plan."), field="case_ids")
    return sorted(cases, key=lambda c: c.id)


def create_plan(actor, mechanism: Mechanism, data: PlanInput) -> ActionPlan:
    require_planning(actor, mechanism)
    cases = _check_plan(mechanism, data)
    plan = ActionPlan(mechanism=mechanism, title=data.title, starts_on=data.starts_on,
                      ends_on=data.ends_on, objectives=data.objectives, created_by_id=actor.id)
    plan.cases = cases
    db.session.add(plan)
    db.session.flush()
    _record("mechanism.plan_created", actor, plan, case_ids=[c.id for c in cases])
    return plan


def update_plan(actor, plan: ActionPlan, data: PlanInput, *, version: int | None = None) -> None:
    require_planning(actor, plan.mechanism)
    expect_version(plan, version)
    cases = _check_plan(plan.mechanism, data)
    outside = [a for a in plan.activities
               if a.status != "cancelled" and not data.starts_on <= a.planned_on <= data.ends_on]
    if outside:
        raise InvalidInput(_l("Some activities of the plan fall outside this period: change "
                              "their date first."), field="ends_on")
    plan.title, plan.objectives = data.title, data.objectives
    plan.starts_on, plan.ends_on = data.starts_on, data.ends_on
    before = {c.id for c in plan.cases}
    plan.cases = cases
    after = {c.id for c in cases}
    if before != after:
        # The links live in their own table: the plan's row is written anyway, so that its
        # version moves on and a form opened before this change gets a 409.
        flag_modified(plan, "title")
    _record("mechanism.plan_updated", actor, plan, cases_added=sorted(after - before),
            cases_removed=sorted(before - after))
    db.session.flush()


@dataclass
class PlannedInput:
    title: str
    kind: str
    planned_on: date
    budget: int
    status: str = "planned"
    actual_cost: int | None = None


def _check_planned(plan: ActionPlan, data: PlannedInput) -> None:
    data.title = require_text(data.title, "title", max_length=160)
    require_choice(data.kind, ACTIVITY_KINDS, "kind")
    require_choice(data.status, PLANNED_STATUSES, "status")
    if data.planned_on is None:
        raise InvalidInput(_l("This field is required."), field="planned_on")
    if not plan.starts_on <= data.planned_on <= plan.ends_on:
        raise InvalidInput(_l("The date must fall within the plan's period."),
                           field="planned_on")
    require_whole(data.budget, "budget", maximum=MAX_FCFA)
    if data.actual_cost is not None:
        require_whole(data.actual_cost, "actual_cost", maximum=MAX_FCFA)
        if data.status != "done":
            raise InvalidInput(_l("An actual cost is given only for an activity done."),
                               field="actual_cost")


def add_planned_activity(actor, plan: ActionPlan, data: PlannedInput) -> PlannedActivity:
    require_planning(actor, plan.mechanism)
    _check_planned(plan, data)
    item = PlannedActivity(plan=plan, title=data.title, kind=data.kind,
                           planned_on=data.planned_on, budget=data.budget, status=data.status,
                           actual_cost=data.actual_cost, created_by_id=actor.id)
    db.session.add(item)
    db.session.flush()
    _record("mechanism.plan_activity_added", actor, plan, item_id=item.id, kind=item.kind,
            budget=item.budget, status=item.status)
    return item


def update_planned_activity(actor, item: PlannedActivity, data: PlannedInput, *,
                            version: int | None = None) -> None:
    require_planning(actor, item.plan.mechanism)
    expect_version(item, version)
    _check_planned(item.plan, data)
    if item.report is not None and data.status != "done":
        raise InvalidInput(_l("This activity was carried out (its report is recorded): it "
                              "stays done."), field="status")
    before = item.status
    item.title, item.kind, item.planned_on = data.title, data.kind, data.planned_on
    item.budget, item.status, item.actual_cost = data.budget, data.status, data.actual_cost
    _record("mechanism.plan_activity_updated", actor, item.plan, item_id=item.id,
            kind=item.kind, budget=item.budget, from_status=before, to_status=item.status,
            actual_cost=item.actual_cost)
    db.session.flush()
