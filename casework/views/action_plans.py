"""Action plans of a commune's mechanism: the plan's page, writing a plan, its activities,
and the cases it supports."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access
from ..forms.fields import options
from ..forms.mechanisms import PlanForm, PlannedForm
from ..models import ActionPlan, PlannedActivity
from ..services import action_plans
from .common import handle_form, opening
from .mechanism_common import mechanism_or_404, row_of

bp = Blueprint("plans", __name__, url_prefix="/mechanisms")

NOT_YOURS = _l("Only the commune's mediators and its coordinators write its action plans.")


@bp.before_request
@login_required
def _signed_in():
    return None


def _plan(mechanism, plan_id) -> ActionPlan:
    return row_of(ActionPlan, plan_id, lambda p: p.mechanism_id == mechanism.id)


def _to_plan(plan, message):
    flash(message, "success")
    return redirect(url_for("plans.show", code=plan.mechanism.commune.code, plan_id=plan.id))


def _plan_form(mechanism, plan=None) -> PlanForm:
    form = PlanForm(obj=plan) if plan else PlanForm()
    if plan is not None and not form.is_submitted():
        form.case_ids.data = [c.id for c in plan.cases]
    cases = action_plans.supportable_cases(mechanism)
    form.case_ids.choices = options((c.id, f"{c.reference} · {c.village}") for c in cases)
    return form


@bp.get("/<code>/plans/<int:plan_id>")
def show(code, plan_id):
    mechanism = mechanism_or_404(code)
    plan = _plan(mechanism, plan_id)
    return render_template("mechanisms/plan.html", mechanism=mechanism, plan=plan)


@bp.route("/<code>/plans/new", methods=["GET", "POST"])
def new(code):
    mechanism = mechanism_or_404(code)
    opening(access.can(current_user, "edit_plan", commune_id=mechanism.commune_id), NOT_YOURS)
    form = _plan_form(mechanism)
    outcome = handle_form(form, lambda: action_plans.create_plan(
        current_user, mechanism, form.to_input()))
    if outcome.done:
        return _to_plan(outcome.result, _l("The action plan is saved."))
    return render_template("mechanisms/plan_form.html", mechanism=mechanism, form=form,
                           plan=None), outcome.status


@bp.route("/<code>/plans/<int:plan_id>/edit", methods=["GET", "POST"])
def edit(code, plan_id):
    mechanism = mechanism_or_404(code)
    plan = _plan(mechanism, plan_id)
    opening(access.can(current_user, "edit_plan", commune_id=mechanism.commune_id), NOT_YOURS)
    form = _plan_form(mechanism, plan)
    outcome = handle_form(form, lambda: action_plans.update_plan(
        current_user, plan, form.to_input(), version=form.version.data))
    if outcome.done:
        return _to_plan(plan, _l("The action plan is saved."))
    return render_template("mechanisms/plan_form.html", mechanism=mechanism, form=form,
                           plan=plan), outcome.status


@bp.route("/<code>/plans/<int:plan_id>/activities/new", methods=["GET", "POST"])
def add_item(code, plan_id):
    mechanism = mechanism_or_404(code)
    plan = _plan(mechanism, plan_id)
    opening(access.can(current_user, "edit_plan", commune_id=mechanism.commune_id), NOT_YOURS)
    form = PlannedForm()
    if not form.is_submitted():
        form.planned_on.data = plan.starts_on
    outcome = handle_form(form, lambda: action_plans.add_planned_activity(
        current_user, plan, form.to_input()))
    if outcome.done:
        return _to_plan(plan, _l("The activity is added to the plan."))
    return render_template("mechanisms/planned_form.html", mechanism=mechanism, plan=plan,
                           form=form, item=None), outcome.status


@bp.route("/<code>/plans/<int:plan_id>/activities/<int:item_id>", methods=["GET", "POST"])
def edit_item(code, plan_id, item_id):
    mechanism = mechanism_or_404(code)
    plan = _plan(mechanism, plan_id)
    item = row_of(PlannedActivity, item_id, lambda a: a.plan_id == plan.id)
    opening(access.can(current_user, "edit_plan", commune_id=mechanism.commune_id), NOT_YOURS)
    form = PlannedForm(obj=item)
    outcome = handle_form(form, lambda: action_plans.update_planned_activity(
        current_user, item, form.to_input(), version=form.version.data))
    if outcome.done:
        return _to_plan(plan, _l("The activity of the plan is saved."))
    return render_template("mechanisms/planned_form.html", mechanism=mechanism, plan=plan,
                           form=form, item=item), outcome.status
