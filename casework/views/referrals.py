"""A service's focal point: the referrals addressed to their service, one referral with what
it shares, and the answers (accept, decline, outcome). Nothing of the case beyond what the
referral shares, and no link to it: the rules are access.REFERRAL_ACTIONS."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access
from ..errors import NotPermitted
from ..forms.referrals import DeclineForm, OutcomeForm, ReferralForm
from ..forms.transitions import PAGE_FORMS
from ..lookup import referral_or_404
from ..queries import referrals as queries
from ..services import attachments, referrals, transitions
from ..workflow_registry import workflow_of
from .common import handle_form, opening, with_files
from .uploads import allow_files

bp = Blueprint("referrals", __name__, url_prefix="/referrals")
# The COFO's record may carry its PV (services/cofo.py).
allow_files(bp, {"referrals.transition"}, attachments.MAX_REQUEST_BYTES, attachments.TOO_LARGE)


@bp.before_request
@login_required
def _focal_points_only():
    if not access.can(current_user, "answer_referrals"):
        raise NotPermitted(_l("Only a service's focal point opens the referrals."))


@bp.get("")
def index():
    return render_template("referrals/index.html", referrals=queries.for_focal_point(
        current_user))


def _page(referral, status: int = 200, **forms):
    version = {"version": referral.version}
    forms.setdefault("accept_form", ReferralForm(formdata=None, data=version))
    forms.setdefault("decline_form", DeclineForm(formdata=None, data=version))
    forms.setdefault("outcome_form", OutcomeForm(formdata=None, data=version))
    shared = queries.shared(current_user, referral)
    return render_template("referrals/show.html", referral=referral, shared=shared,
                           actions=access.focal_transitions(current_user, referral),
                           **forms), status


@bp.get("/<int:referral_id>")
def show(referral_id: int):
    return _page(referral_or_404(referral_id))


def _answered(referral, message):
    flash(message, "success")
    return redirect(url_for("referrals.show", referral_id=referral.id))


def _answer(referral_id: int, form, name: str, act, done):
    """One answer of the focal point: `act(referral, form)` run as the form's service; done,
    the referral's page saying `done`; else the page again, with `form` as its `name`."""
    referral = referral_or_404(referral_id)
    outcome = handle_form(form, lambda: act(referral, form))
    if outcome.done:
        return _answered(referral, done)
    return _page(referral, outcome.status, **{name: form})


@bp.post("/<int:referral_id>/accept")
def accept(referral_id: int):
    return _answer(referral_id, ReferralForm(), "accept_form", lambda referral, form:
                   referrals.accept(current_user, referral, version=form.version.data),
                   _l("The referral is accepted; the team is told."))


@bp.post("/<int:referral_id>/decline")
def decline(referral_id: int):
    return _answer(referral_id, DeclineForm(), "decline_form", lambda referral, form:
                   referrals.decline(current_user, referral, form.decline_reason.data,
                                     version=form.version.data),
                   _l("The referral is declined; the team is told."))


@bp.post("/<int:referral_id>/outcome")
def outcome(referral_id: int):
    return _answer(referral_id, OutcomeForm(), "outcome_form", lambda referral, form:
                   referrals.record_outcome(current_user, referral, form.outcome.data,
                                            version=form.version.data),
                   _l("The outcome is recorded; the team is told."))


@bp.route("/<int:referral_id>/actions/<trigger>", methods=["GET", "POST"])
def transition(referral_id: int, trigger: str):
    """A transition of the referred case whose `by:` names the focal point (the COFO enters
    its conciliation record): its form, on the referral's side; nothing of the case but
    what the referral shares, and no history of it on a conflict."""
    referral = referral_or_404(referral_id)
    case = referral.case
    workflow = workflow_of(case)
    if not workflow.has_trigger(trigger):
        abort(404)
    def allowed() -> bool:
        return any(t.trigger == trigger
                   for t in access.focal_transitions(current_user, referral))

    opening(allowed(), _l("This action is not available to you on this referral now."))
    definition = workflow.transition(trigger)
    form = PAGE_FORMS[definition.form](version=case.version)
    outcome = handle_form(form, lambda: transitions.fire(
        current_user, case, trigger, with_files(form, case, allowed),
        version=form.version.data))
    if outcome.done:
        return _answered(referral, _l("Recorded; the team is told."))
    return render_template("referrals/transition.html", referral=referral,
                           shared=queries.shared(current_user, referral), form=form,
                           transition=definition), outcome.status
