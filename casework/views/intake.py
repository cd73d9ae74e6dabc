"""Importing a file of KoboToolbox / ODK submissions: coordinators only, with its report."""
from __future__ import annotations

from flask import Blueprint, render_template, request, send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.exceptions import RequestEntityTooLarge

from config import BASE_DIR

from .. import access
from ..errorpages import render_error
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..forms.kobo import KoboImportForm
from ..intake import files, form_definition, kobo
from ..intake.report import summary

bp = Blueprint("intake", __name__, url_prefix="/intake")
MAX_REQUEST_BYTES = 5 * 1024 * 1024 + 64 * 1024  # the file and the form around it
TOO_LARGE = _l("The file is over 5 MB: export fewer submissions at a time (by date).")


@bp.url_value_preprocessor
def _allow_a_file(endpoint, _values):
    """Let the upload alone read a 5 MB file (the app caps requests at 1 MB), before CSRF
    protection reads the form; only for a signed-in person."""
    if endpoint == "intake.kobo_import" and current_user.is_authenticated:
        request.max_content_length = MAX_REQUEST_BYTES


@bp.before_request
@login_required
def _signed_in():
    if not access.can(current_user, "import_submissions"):
        raise NotPermitted(_l("Only coordinators import KoboToolbox or ODK submissions."))
    return None


@bp.errorhandler(RequestEntityTooLarge)
def _too_large(_error):
    return render_error(413, TOO_LARGE)


@bp.route("/kobo", methods=["GET", "POST"])
def kobo_import():
    form = KoboImportForm()
    report, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        try:
            rows = files.read_submissions(upload.read(), upload.filename or "")
        except InvalidInput as error:
            form.file.errors = [*form.file.errors, error.message]
            status = 400
        else:
            report = kobo.import_submissions(current_user, rows)
            report.dry_run = bool(form.dry_run.data)
            if report.dry_run:
                db.session.rollback()
            else:
                db.session.commit()
    elif form.is_submitted():
        status = 400
    return render_template("intake/kobo.html", form=form, report=report,
                           summary=summary(report) if report else None), status


@bp.get("/kobo/signalement_conflit.xlsx")
def kobo_form():
    return send_file(BASE_DIR / form_definition.OUTPUT, as_attachment=True,
                     download_name="signalement_conflit.xlsx", max_age=0)
