"""Correcting a case's record, a step or a visit; withdrawing a proposal; moving a case to
another commune. Each form keeps what was typed on a conflict (409) or an error (400)."""
from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access
from ..errors import NotPermitted
from ..extensions import db
from ..forms.corrections import (
    CaseCorrectionForm,
    FollowUpCorrectionForm,
    MergeForm,
    MoveForm,
    StepCorrectionForm,
    WithdrawForm,
)
from ..forms.fields import options
from ..models import Commune
from ..queries import merges as merge_plans
from ..services import commune_moves, corrections, merges, withdrawals
from .common import Outcome, case_or_404, handle_form, one_of, opening, to_case

bp = Blueprint("corrections", __name__, url_prefix="/cases")

REFUSED = corrections.REFUSED


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.route("/<reference>/correct", methods=["GET", "POST"])
def correct_case(reference):
    case = case_or_404(reference)
    opening(access.can(current_user, "correct", case), REFUSED)
    form = CaseCorrectionForm.of(case)
    if form.is_submitted() and form.wants_another_party():
        form.parties.append_entry()
        return render_template("cases/correct.html", case=case, form=form)
    outcome = handle_form(form, lambda: corrections.correct_case(
        current_user, case, form.to_input(), version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The correction is saved."))
    return render_template("cases/correct.html", case=case, form=form), outcome.status


@bp.route("/<reference>/steps/<int:step_id>/correct", methods=["GET", "POST"])
def correct_step(reference, step_id):
    case = case_or_404(reference)
    step = one_of(case.steps, step_id)
    opening(access.can(current_user, "correct", case), REFUSED)
    form = StepCorrectionForm(obj=step, version=case.version)
    outcome = handle_form(form, lambda: corrections.correct_step(
        current_user, case, step, form.to_input(), form.reason.data,
        version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The correction is saved."))
    return render_template("cases/correct_step.html", case=case, form=form,
                           step=step), outcome.status


@bp.route("/<reference>/follow-ups/<int:visit_id>/correct", methods=["GET", "POST"])
def correct_follow_up(reference, visit_id):
    case = case_or_404(reference)
    visit = one_of(case.follow_ups, visit_id)
    opening(access.can(current_user, "correct", case), REFUSED)
    form = FollowUpCorrectionForm(obj=visit, version=case.version)
    outcome = handle_form(form, lambda: corrections.correct_follow_up(
        current_user, case, visit, form.to_input(), version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The correction is saved."))
    return render_template("cases/correct_follow_up.html", case=case, form=form,
                           visit=visit), outcome.status


@bp.route("/<reference>/proposals/<int:proposal_id>/withdraw", methods=["GET", "POST"])
def withdraw(reference, proposal_id):
    case = case_or_404(reference)
    proposal = one_of(case.proposals, proposal_id)
    opening(access.can(current_user, "withdraw_proposal", case, proposal=proposal),
            _l("Only the person who made a proposal withdraws it."))
    form = WithdrawForm(version=case.version)
    outcome = handle_form(form, lambda: withdrawals.withdraw_proposal(
        current_user, proposal, form.reason.data, version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The proposal is withdrawn."))
    return render_template("cases/withdraw.html", case=case, form=form,
                           proposal=proposal), outcome.status


@bp.route("/<reference>/commune", methods=["GET", "POST"])
def move(reference):
    case = case_or_404(reference)
    if not access.can(current_user, "move_commune", case):
        raise NotPermitted(_l("Only a coordinator moves a case to another commune."))
    targets = access.move_targets(current_user, case)
    opening(bool(targets), _l("Only a coordinator of both communes moves a case."))
    form = MoveForm(version=case.version)
    form.commune_id.choices = options(((c.id, c.name) for c in targets), _l("Choose..."))
    outcome = handle_form(form, lambda: commune_moves.move_case(
        current_user, case, db.session.get(Commune, form.commune_id.data or 0),
        form.reason.data, version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The case is moved; its former reference %(reference)s "
                                 "leads to it.", reference=outcome.result))
    return render_template("cases/move.html", case=case, form=form), outcome.status


@bp.route("/<reference>/merge", methods=["GET", "POST"])
def merge(reference):
    """A duplicate report merged into the case it repeats: the case picked (typed, or one of
    the suggested), what will move shown, a reason given, then confirmed. A case named for
    the first time (no `kept_version` yet) is only shown, never merged unseen."""
    case = case_or_404(reference)
    if not access.can(current_user, "merge", case):
        raise NotPermitted(merges.REFUSED)
    form = MergeForm(version=case.version)
    if request.method == "GET":
        form.into.data = request.args.get("into", "")
    named = (form.into.data or "").strip().upper()
    kept = merge_plans.case_named(current_user, named) if named else None
    problem = merges.why_not(current_user, case, kept, named) if named else None
    if problem is None and kept is not None and form.kept_version.data is None:
        form.kept_version.data = kept.version
        outcome = Outcome(200)
    else:
        outcome = handle_form(form, lambda: merges.merge_case(
            current_user, case, kept, form.reason.data, version=form.version.data,
            kept_version=form.kept_version.data, reference=named), case=case)
    if outcome.done:
        return to_case(kept, _l("%(merged)s is merged into this case; its reference leads "
                                "here.", merged=reference))
    if problem:
        form.into.errors = [problem]
        form.kept_version.data = None  # the next case named is shown first
    elif outcome.status == 409 and kept is not None:
        form.kept_version.data = kept.version
    shown = kept if problem is None else None
    return render_template(
        "cases/merge.html", case=case, form=form, kept=shown, refusal=merges.refusal(case),
        plan=merge_plans.plan(case, shown) if shown is not None else None,
        suggestions=merge_plans.suggestions(current_user, case)), outcome.status
