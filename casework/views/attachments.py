"""Files attached to a case: upload by its team (10 Mo), download through an access check."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access, unit_of_work
from ..extensions import db
from ..forms.attachments import AttachmentForm
from ..models import Attachment
from ..queries import case_page
from ..services import attachments
from .common import case_or_404, handle_form, refuse_as_missing
from .uploads import allow_files, send_stored

bp = Blueprint("attachments", __name__, url_prefix="/cases")


allow_files(bp, {"attachments.add"}, attachments.MAX_REQUEST_BYTES, attachments.TOO_LARGE)


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.post("/<reference>/attachments")
def add(reference):
    case = case_or_404(reference)
    form = AttachmentForm()
    upload = form.file.data

    def attach():
        attachments.require_attach(current_user, case)  # before any work on the file
        checked = unit_of_work.checked_first(lambda: attachments.check_upload(
            upload.stream, upload.filename, form.description.data), case)
        attachments.add_attachment(current_user, case, checked)

    outcome = handle_form(form, attach)
    if outcome.done:
        flash(_l("The file is attached to the case."), "success")
        return redirect(url_for("cases.show", reference=case.reference, _anchor="attachments"))
    return render_template("cases/show.html", **case_page.context(current_user, case),
                           attachment_form=form), outcome.status


@bp.get("/<reference>/attachments/<int:attachment_id>")
def download(reference, attachment_id):
    case = case_or_404(reference)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.case_id != case.id:
        abort(404)
    if not access.can(current_user, "see_attachments", case):
        refuse_as_missing(current_user, case=case, reference=case.reference,
                          attachment_id=attachment.id)
    return send_stored(attachment, lambda: attachments.record_download(current_user,
                                                                      attachment))
