"""A commune's mechanism: the list of the communes one sees, the mechanism's page, setting it
up, its members and its FFOM analyses (with the comparison of two)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import access
from ..clock import local_today
from ..extensions import db
from ..forms.fields import options
from ..forms.mechanisms import AnalysisForm, MechanismForm, MemberForm
from ..models import ActionPlan, FfomAnalysis, Mechanism, MechanismActivity, MechanismMember
from ..queries import mechanism_figures
from ..services import mechanisms
from .common import handle_form, opening
from .mechanism_common import commune_or_404, mechanism_or_404, row_of

bp = Blueprint("mechanisms", __name__, url_prefix="/mechanisms")


@bp.before_request
@login_required
def _signed_in():
    return None


def _to_mechanism(mechanism, message, anchor=None):
    flash(message, "success")
    return redirect(url_for("mechanisms.show", code=mechanism.commune.code, _anchor=anchor))


@bp.get("")
def index():
    if not access.can(current_user, "view_mechanism"):
        abort(404)
    figures = mechanism_figures.build(access.mechanism_communes(current_user))
    return render_template("mechanisms/index.html", figures=figures)


@bp.get("/<code>")
def show(code):
    commune = commune_or_404(code)
    mechanism = mechanisms.mechanism_of(commune)
    if mechanism is None:
        return render_template("mechanisms/not_set_up.html", commune=commune)
    row = next(iter(mechanism_figures.build({commune.id}).rows))
    plans = list(db.session.scalars(select(ActionPlan).where(
        ActionPlan.mechanism_id == mechanism.id).order_by(ActionPlan.starts_on.desc())))
    activities = list(db.session.scalars(select(MechanismActivity).where(
        MechanismActivity.mechanism_id == mechanism.id)
        .order_by(MechanismActivity.held_on.desc(), MechanismActivity.id.desc())))
    analyses = list(reversed(mechanism.analyses))
    return render_template(
        "mechanisms/show.html", mechanism=mechanism, commune=commune, row=row, plans=plans,
        activities=activities, analyses=analyses, latest=analyses[0] if analyses else None,
        team=mechanisms.reconciliation_team(commune.id),
        member_users={m.user_id for m in mechanism.current_members if m.user_id})


@bp.route("/<code>/set-up", methods=["GET", "POST"])
def set_up(code):
    commune = commune_or_404(code)
    mechanism = mechanisms.mechanism_of(commune)
    opening(access.can(current_user, "record_mechanism", commune_id=commune.id),
            mechanisms.NOT_YOURS)
    form = MechanismForm(obj=mechanism) if mechanism else MechanismForm()

    def operation():
        if mechanism is None:
            return mechanisms.set_up_mechanism(current_user, commune, name=form.name.data,
                                               set_up_on=form.set_up_on.data)
        return mechanisms.update_mechanism(current_user, mechanism, name=form.name.data,
                                           set_up_on=form.set_up_on.data,
                                           version=form.version.data)

    if not form.is_submitted() and mechanism is None:
        form.name.data = _l("Conflict-prevention mechanism of %(commune)s",
                            commune=commune.name)
    outcome = handle_form(form, operation)
    if outcome.done:
        flash(_l("The mechanism is saved."), "success")
        return redirect(url_for("mechanisms.show", code=commune.code))
    return render_template("mechanisms/set_up.html", commune=commune, mechanism=mechanism,
                           form=form), outcome.status


def _member_form(mechanism, member=None) -> MemberForm:
    form = MemberForm(obj=member) if member else MemberForm()
    form.user_id.choices = options(
        [("", _l("No account")),
         *((u.id, u.full_name) for u in mechanisms.account_choices(mechanism))])
    return form


@bp.route("/<code>/members/new", methods=["GET", "POST"])
def add_member(code):
    mechanism = mechanism_or_404(code)
    opening(access.can(current_user, "record_mechanism", commune_id=mechanism.commune_id),
            mechanisms.NOT_YOURS)
    form = _member_form(mechanism)
    outcome = handle_form(form, lambda: mechanisms.add_member(current_user, mechanism,
                                                             form.to_input()))
    if outcome.done:
        return _to_mechanism(mechanism, _l("The member is added."), "members")
    return render_template("mechanisms/member.html", mechanism=mechanism, form=form,
                           member=None), outcome.status


@bp.route("/<code>/members/<int:member_id>", methods=["GET", "POST"])
def edit_member(code, member_id):
    mechanism = mechanism_or_404(code)
    member = row_of(MechanismMember, member_id, lambda m: m.mechanism_id == mechanism.id)
    opening(access.can(current_user, "record_mechanism", commune_id=mechanism.commune_id),
            mechanisms.NOT_YOURS)
    form = _member_form(mechanism, member)
    outcome = handle_form(form, lambda: mechanisms.update_member(
        current_user, member, form.to_input(), version=form.version.data))
    if outcome.done:
        return _to_mechanism(mechanism, _l("The member is saved."), "members")
    return render_template("mechanisms/member.html", mechanism=mechanism, form=form,
                           member=member), outcome.status


@bp.route("/<code>/ffom/new", methods=["GET", "POST"])
def add_analysis(code):
    mechanism = mechanism_or_404(code)
    opening(access.can(current_user, "record_mechanism", commune_id=mechanism.commune_id),
            mechanisms.NOT_YOURS)
    form = AnalysisForm()
    if not form.is_submitted():
        form.analysed_on.data = local_today()
    outcome = handle_form(form, lambda: mechanisms.record_analysis(
        current_user, mechanism, form.to_input()))
    if outcome.done:
        flash(_l("The FFOM analysis is recorded."), "success")
        return redirect(url_for("mechanisms.analysis", code=code, analysis_id=outcome.result.id))
    return render_template("mechanisms/analysis_form.html", mechanism=mechanism,
                           form=form, analysis=None), outcome.status


def _analysis(mechanism: Mechanism, analysis_id: int) -> FfomAnalysis:
    return row_of(FfomAnalysis, analysis_id, lambda a: a.mechanism_id == mechanism.id)


@bp.get("/<code>/ffom/<int:analysis_id>")
def analysis(code, analysis_id):
    mechanism = mechanism_or_404(code)
    return render_template("mechanisms/analysis.html", mechanism=mechanism,
                           analysis=_analysis(mechanism, analysis_id),
                           others=[a for a in mechanism.analyses if a.id != analysis_id])


@bp.route("/<code>/ffom/<int:analysis_id>/edit", methods=["GET", "POST"])
def edit_analysis(code, analysis_id):
    """Correct an analysis already recorded; a form opened before someone else's correction
    is answered 409, what was typed kept."""
    mechanism = mechanism_or_404(code)
    analysis = _analysis(mechanism, analysis_id)
    opening(access.can(current_user, "record_mechanism", commune_id=mechanism.commune_id),
            mechanisms.NOT_YOURS)
    form = AnalysisForm.correcting(analysis)
    outcome = handle_form(form, lambda: mechanisms.update_analysis(
        current_user, analysis, form.to_input(), version=form.version.data))
    if outcome.done:
        flash(_l("The FFOM analysis is corrected."), "success")
        return redirect(url_for("mechanisms.analysis", code=code, analysis_id=analysis.id))
    return render_template("mechanisms/analysis_form.html", mechanism=mechanism, form=form,
                           analysis=analysis), outcome.status


@bp.get("/<code>/ffom/compare")
def compare(code):
    """Two analyses of the same mechanism side by side: ?first=<id>&second=<id>, or the last
    two when none is named."""
    mechanism = mechanism_or_404(code)
    analyses = mechanism.analyses
    ids = [request.args.get(name, "") for name in ("first", "second")]
    if all(ids):
        if not all(i.isdigit() and len(i) <= 10 for i in ids):
            abort(404)
        pair = [_analysis(mechanism, int(i)) for i in ids]
    elif len(analyses) >= 2:
        pair = analyses[-2:]
    else:
        pair = []
    if pair:
        pair.sort(key=lambda a: (a.analysed_on, a.id))
    return render_template("mechanisms/compare.html", mechanism=mechanism, pair=pair,
                           analyses=analyses,
                           diff=mechanisms.compare(*pair) if pair else None)
