"""Working offline: the service worker at the site's root, the phone's session check, the
header that lets the worker keep a page (access.keep_offline decides), and the key that makes
a form sent again from the offline queue a no-op."""
from __future__ import annotations

import hashlib
import mimetypes
import re
from urllib.parse import urlsplit

from flask import (
    Flask,
    current_app,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_from_directory,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import IntegrityError

from .. import access
from ..extensions import db
from ..kept_forms import NOT_KEPT
from ..queries.offline import pages_to_keep
from ..services import offline_submissions

mimetypes.add_type("application/manifest+json", ".webmanifest")

KEY_HEADER = offline_submissions.KEY_HEADER
CACHE_HEADER = "X-Palabre-Cache"
# The pages a phone may keep, by endpoint (what each is, for access.keep_offline).
KEPT_ENDPOINTS = {
    "home.index": "my_work",
    "cases.new": "report_form",
    "cases.index": "case_list",
    "cases.show": "case",
    "cases.log_step": "step_form",
    "cases.record_follow_up": "follow_up_form",
}


def service_worker():
    """At the root, so that its scope is the whole site; always asked again (a new version of
    the worker must reach the phones)."""
    response = send_from_directory(current_app.static_folder, "sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


def offline_page():
    """What the worker shows for a page it did not keep (a case of another team, a
    confidential case, a page never opened)."""
    return render_template("offline.html")


def session_check():
    """Who is signed in on this phone now, a fresh CSRF token for the queued forms, and the
    pages the phone may fetch to keep; 401 when nobody is (the session ended: the queue waits
    for the same person)."""
    if not current_user.is_authenticated:
        return jsonify(user=None), 401
    return jsonify(user=current_user.id, csrf=generate_csrf(),
                   pages=pages_to_keep(current_user))


def _replayed():
    """A queued form sent again under a key already done answers where it led the first time,
    doing nothing."""
    key = request.headers.get(KEY_HEADER)
    if request.method != "POST" or key is None or not current_user.is_authenticated:
        return None
    if not offline_submissions.valid_key(key):
        return None
    location = offline_submissions.answered(current_user, key)
    if location is None:
        return None
    g.palabre_replayed = True
    return redirect(location, code=303)


def _remember(response):
    """The key of a queued form that was done is kept with its work (this runs before the
    commit point: both are committed, or neither)."""
    key = request.headers.get(KEY_HEADER)
    if (request.method != "POST" or key is None or g.get("palabre_replayed")
            or not offline_submissions.valid_key(key) or not current_user.is_authenticated
            or response.status_code not in (301, 302, 303) or not response.location):
        return response
    if offline_submissions.answered(current_user, key) is not None:
        return response  # the work kept it itself (a report keeps its form's token, its key)
    parts = urlsplit(response.location)
    location = parts.path + (f"?{parts.query}" if parts.query else "")
    try:
        offline_submissions.remember(current_user, key, location)
    except IntegrityError:  # the same item, sent twice at once: the other copy did it
        db.session.rollback()
        return current_app.response_class("", status=409)
    return response


def _cache_header(response):
    page = KEPT_ENDPOINTS.get(request.endpoint or "")
    if (page is not None and request.method == "GET" and response.status_code == 200
            and current_user.is_authenticated
            and access.keep_offline(current_user, page, g.get("palabre_case"),
                                    lists_confidential=g.get("palabre_lists_confidential",
                                                             False))):
        response.headers[CACHE_HEADER] = "keep"
        _unchanged_as_304(response)
    return response


# A page's one-time tokens (fresh in each answer, and replaced by the queue): not what it says.
ONE_TIME = re.compile(rb'(name="(?:' + b"|".join(re.escape(n.encode()) for n in sorted(NOT_KEPT))
                      + rb')"[^>]*?value=)"[^"]*"')


def _unchanged_as_304(response) -> None:
    """A kept page is tagged with a digest of what it says, one-time tokens left out: the
    worker's next fetch sends the tag of its copy, and a page unchanged since is a 304 of a
    few hundred bytes. The digest of the page itself, not of the case's version: the page also
    shows the menu's counts, the days a case has waited, the person's name and language, and
    what a new release changed, and a copy kept stale in the village would mislead."""
    digest = hashlib.sha256(ONE_TIME.sub(rb'\1""', response.get_data())).hexdigest()[:32]
    response.set_etag(digest, weak=True)
    if request.if_none_match.contains_weak(digest):
        response.status_code = 304
        response.set_data(b"")


def init_app(app: Flask) -> None:
    """After the commit point is registered: Flask runs after-request functions in reverse,
    so the key is remembered before the request's work is committed, with it."""
    app.add_url_rule("/sw.js", "offline.service_worker", service_worker)
    app.add_url_rule("/offline", "offline.page", offline_page)
    app.add_url_rule("/offline/session", "offline.session", session_check)
    app.before_request(_replayed)
    app.after_request(_cache_header)
    app.after_request(_remember)
