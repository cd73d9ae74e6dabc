"""Routes that take or give a file: a larger request size for uploads (the app caps the
others at 1 MB), and the download of a stored file (the file is checked with no transaction
open: `unit_of_work.checked_first`).

URL value preprocessors run before every before_request function, and CSRF protection, one of
those, reads the form: the limit must be raised there, before it. Only a signed-in person gets
the larger limit; a body over it is a 413 whose message says the limit.
"""
from __future__ import annotations

from flask import Blueprint, request, send_file
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge

from ..error_pages import render_error
from ..files import names, store


def allow_files(bp: Blueprint, endpoints: set[str], limit: int, too_large) -> None:
    """Let `endpoints` of `bp` read `limit` bytes; `too_large` is the message past it."""
    @bp.url_value_preprocessor
    def _allow_a_file(endpoint, _values):
        if endpoint in endpoints and current_user.is_authenticated:
            request.max_content_length = limit

    @bp.errorhandler(RequestEntityTooLarge)
    def _too_large(_error):
        if request.endpoint in endpoints:
            return render_error(413, too_large)
        return render_error(413)


def send_stored(stored_file, record_download):
    """Send a stored file (a case attachment, an activity file) as a download.

    The file is opened first (its first chunk read, when files live in the database), so that
    a missing file logs no download; then the download event is recorded (the request's end
    commits it); the length is the row's, whichever storage streams the bytes; the name is ours
    (Werkzeug's ASCII fallback of "عقد.pdf" would be ".pdf"), and nothing of it is kept by the
    browser.
    """
    stored = store.open_file(stored_file.stored_name)
    try:
        record_download()
    except BaseException:
        stored.close()
        raise
    response = send_file(stored, mimetype=stored_file.content_type, as_attachment=True,
                         download_name=stored_file.display_name, conditional=False,
                         etag=False, max_age=0)
    response.content_length = stored_file.size
    response.headers.set("Content-Disposition", "attachment",
                         **names.content_disposition(stored_file.display_name))
    response.headers["Cache-Control"] = "no-store"
    return response
