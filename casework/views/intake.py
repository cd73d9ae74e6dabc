"""Importing a file of KoboToolbox / ODK submissions: coordinators only, with its report."""
from __future__ import annotations

from flask import Blueprint, render_template, send_file
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from config import BASE_DIR

from .. import access
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..forms.kobo import KoboImportForm
from ..intake import files, form_definition, kobo
from ..intake.report import summary
from .uploads import allow_files

bp = Blueprint("intake", __name__, url_prefix="/intake")
MAX_REQUEST_BYTES = 5 * 1024 * 1024 + 64 * 1024  # the file and the form around it
TOO_LARGE = _l("The file is over 5 MB: export fewer submissions at a time (by date).")


allow_files(bp, {"intake.kobo_import"}, MAX_REQUEST_BYTES, TOO_LARGE)


@bp.before_request
@login_required
def _signed_in():
    if not access.can(current_user, "import_submissions"):
        raise NotPermitted(_l("Only coordinators import KoboToolbox or ODK submissions."))
    return None


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
