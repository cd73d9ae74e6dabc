"""Importing a file of KoboToolbox / ODK submissions: coordinators only. The file is checked
at once; the import runs as a job (intake/jobs.py) whose page shows its progress, then its
report."""
from __future__ import annotations

import io

from flask import Blueprint, abort, redirect, render_template, send_file, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access, unit_of_work
from ..errors import InvalidInput, NotPermitted
from ..forms.kobo import KoboImportForm
from ..intake import files, jobs, xlsform
from ..intake.communes import form_list
from ..intake.report import summary
from .uploads import allow_files

bp = Blueprint("intake", __name__, url_prefix="/intake")
MAX_REQUEST_BYTES = 5 * 1024 * 1024 + 64 * 1024  # the file and the form around it
TOO_LARGE = _l("The file is over 5 MB: export fewer submissions at a time (by date).")
REFRESH_SECONDS = 3


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
    status = 200
    if form.validate_on_submit():
        upload = form.file.data
        data, filename = upload.read(), upload.filename or ""
        try:  # read once here, with no transaction open, to refuse a bad file at once
            rows = unit_of_work.checked_first(lambda: files.read_submissions(data, filename))
        except InvalidInput as error:
            form.file.errors = [*form.file.errors, error.message]
            status = 400
        else:
            job = jobs.start(current_user, data, filename, dry_run=bool(form.dry_run.data),
                             total=len(rows))
            unit_of_work.after_commit(lambda: jobs.dispatch(job.id))
            return redirect(url_for("intake.kobo_job", job_id=job.id), 303)
    elif form.is_submitted():
        status = 400
    return render_template("intake/kobo.html", form=form,
                           jobs=jobs.recent(current_user)), status


@bp.get("/kobo/imports/<int:job_id>")
def kobo_job(job_id):
    """Where an import stands; the page reloads itself every few seconds until it ends."""
    job = jobs.of(current_user, job_id)
    if job is None:
        abort(404)
    jobs.take_up_if_stalled(job)
    report = jobs.report_of(job)
    return render_template("intake/kobo_job.html", job=job, report=report,
                           summary=summary(report), stalled=jobs.stalled(job),
                           refresh_seconds=REFRESH_SECONDS)


@bp.get("/kobo/signalement_conflit.xlsx")
def kobo_form():
    """The offline form with this deployment's communes as a list to choose from: nobody
    types a code (Kadiolo KDL and Kolondiéba KLD are easy to confuse)."""
    return send_file(io.BytesIO(xlsform.workbook(form_list())), as_attachment=True,
                     download_name="signalement_conflit.xlsx", max_age=0,
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
