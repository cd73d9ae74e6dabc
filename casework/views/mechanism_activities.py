"""Activities a mechanism carried out: recording one, its page, its files (uploaded by the
mediators, downloaded through an access check) and the authorities' appreciation."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access, unit_of_work
from ..clock import local_today
from ..files.content import TYPE_LABELS
from ..forms.fields import options
from ..forms.mechanisms import (
    ActivityCorrectionForm,
    ActivityFileForm,
    ActivityForm,
    AppreciationForm,
    authority_field,
)
from ..models import ActivityFile, MechanismActivity
from ..services import attachments, mechanism_activities, mechanisms
from ..vocabulary import ACTIVITY_KINDS, label
from .common import handle_form, opening, partner_choices
from .mechanism_common import mechanism_or_404, row_of
from .uploads import allow_files, send_stored

bp = Blueprint("activities", __name__, url_prefix="/mechanisms")


allow_files(bp, {"activities.add_file"}, attachments.MAX_REQUEST_BYTES,
            attachments.TOO_LARGE)


@bp.before_request
@login_required
def _signed_in():
    return None


def _activity(mechanism, activity_id) -> MechanismActivity:
    return row_of(MechanismActivity, activity_id, lambda a: a.mechanism_id == mechanism.id)


def _page(mechanism, activity, *, file_form=None, status=200):
    mine = mechanism_activities.appreciation_of(current_user, activity)
    return render_template(
        "mechanisms/activity.html", mechanism=mechanism, activity=activity, mine=mine,
        file_form=file_form or ActivityFileForm(), file_types=TYPE_LABELS), status


@bp.route("/<code>/activities/new", methods=["GET", "POST"])
def new(code):
    mechanism = mechanism_or_404(code)
    opening(access.can(current_user, "record_mechanism", commune_id=mechanism.commune_id),
            mechanisms.NOT_YOURS)
    form = ActivityForm()
    partner_choices(form.partner_id)
    planned = mechanism_activities.open_planned(mechanism)
    form.planned_id.choices = options(
        [("", _l("None: an activity outside the plan")),
         *((p.id, f"{p.planned_on:%d/%m/%Y} · {label(ACTIVITY_KINDS, p.kind)} · {p.title}")
           for p in planned)])
    if not form.is_submitted():
        form.held_on.data = local_today()
        chosen = request.args.get("planned", "")
        if chosen.isdigit() and any(p.id == int(chosen) for p in planned):
            item = next(p for p in planned if p.id == int(chosen))
            form.planned_id.data, form.kind.data, form.title.data = item.id, item.kind, item.title
    outcome = handle_form(form, lambda: mechanism_activities.record_activity(
        current_user, mechanism, form.to_input()))
    if outcome.done:
        flash(_l("The activity is recorded."), "success")
        return redirect(url_for("activities.show", code=code, activity_id=outcome.result.id))
    return render_template("mechanisms/activity_form.html", mechanism=mechanism,
                           form=form, activity=None), outcome.status


@bp.route("/<code>/activities/<int:activity_id>/edit", methods=["GET", "POST"])
def edit(code, activity_id):
    """Correct an activity already recorded; a form opened before someone else's correction
    is answered 409, what was typed kept. Its appreciations stay as they are."""
    mechanism = mechanism_or_404(code)
    activity = _activity(mechanism, activity_id)
    opening(access.can(current_user, "record_mechanism", commune_id=mechanism.commune_id),
            mechanisms.NOT_YOURS)
    form = ActivityCorrectionForm(obj=activity)
    partner_choices(form.partner_id)
    if not form.is_submitted():
        form.advocacy_outcome.data = activity.advocacy_outcome or ""
        for a in activity.authorities:
            counted = getattr(form, authority_field(a.role, a.sex))
            counted.data = (counted.data or 0) + 1
    if activity.planned is None:
        del form.actual_cost  # an activity outside a plan has no cost of its own
    elif not form.is_submitted():
        form.actual_cost.data = activity.planned.actual_cost
    outcome = handle_form(form, lambda: mechanism_activities.update_activity(
        current_user, activity, form.to_input(), version=form.version.data))
    if outcome.done:
        flash(_l("The activity is corrected."), "success")
        return redirect(url_for("activities.show", code=code, activity_id=activity.id))
    return render_template("mechanisms/activity_form.html", mechanism=mechanism, form=form,
                           activity=activity), outcome.status


@bp.get("/<code>/activities/<int:activity_id>")
def show(code, activity_id):
    mechanism = mechanism_or_404(code)
    return _page(mechanism, _activity(mechanism, activity_id))[0]


@bp.post("/<code>/activities/<int:activity_id>/files")
def add_file(code, activity_id):
    mechanism = mechanism_or_404(code)
    activity = _activity(mechanism, activity_id)
    form = ActivityFileForm()
    upload = form.file.data

    def add():
        mechanism_activities.require_adding_file(current_user, activity, form.kind.data)
        checked = unit_of_work.checked_first(lambda: attachments.check_upload(
            upload.stream, upload.filename, form.description.data), activity)
        mechanism_activities.add_file(current_user, activity, checked, form.kind.data)

    outcome = handle_form(form, add)
    if outcome.done:
        flash(_l("The file is added to the activity."), "success")
        return redirect(url_for("activities.show", code=code, activity_id=activity.id,
                                _anchor="files"))
    return _page(mechanism, activity, file_form=form, status=outcome.status)


@bp.get("/<code>/activities/<int:activity_id>/files/<int:file_id>")
def download(code, activity_id, file_id):
    mechanism = mechanism_or_404(code)
    activity = _activity(mechanism, activity_id)
    file = row_of(ActivityFile, file_id, lambda f: f.activity_id == activity.id)
    return send_stored(file, lambda: mechanism_activities.record_download(current_user, file))


@bp.route("/<code>/activities/<int:activity_id>/appreciation", methods=["GET", "POST"])
def appreciate(code, activity_id):
    mechanism = mechanism_or_404(code)
    activity = _activity(mechanism, activity_id)
    opening(access.can(current_user, "appreciate", commune_id=mechanism.commune_id),
            _l("Only the mayor and the traditional leaders of the commune give their "
               "appreciation of an activity."))
    mine = mechanism_activities.appreciation_of(current_user, activity)
    form = AppreciationForm(obj=mine) if mine else AppreciationForm()
    outcome = handle_form(form, lambda: mechanism_activities.save_appreciation(
        current_user, activity, rating=form.rating.data, comment=form.comment.data,
        version=form.version.data if mine else None))
    if outcome.done:
        flash(_l("Your appreciation is recorded."), "success")
        return redirect(url_for("activities.show", code=code, activity_id=activity.id,
                                _anchor="appreciations"))
    return render_template("mechanisms/appreciation.html", mechanism=mechanism,
                           activity=activity, form=form, mine=mine), outcome.status
