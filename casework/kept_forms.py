"""Nothing typed is lost when a session ends: a form sent after the end is kept for the person
whose session it was, and shown to them filled after they sign in again, with a fresh token.

The fields are kept in the database (table kept_forms), bound to that person's id, for
KEPT_FORM_MINUTES; never in the URL, the cookie or a log line. The session cookie carries only
the row's id. Someone else signing in on the phone drops it unseen; a kept form is given back
once. What is not kept: the CSRF token and the intake's one-time token (the form gets fresh
ones), a password, a file (it is chosen again).
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, flash, request, session
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import delete
from werkzeug.datastructures import MultiDict
from werkzeug.exceptions import HTTPException

from .clock import utcnow
from .extensions import db
from .models import KeptForm
from .services.offline_submissions import KEY_HEADER

# In the session: the id of the user whose session ended (a later post whose CSRF token the
# ended session no longer holds is still theirs), and the kept form waiting for a sign-in.
ENDED = "ended_user"
KEPT = "kept_form"
# In the signed-in session: the kept form to show filled on the next opening of its page.
RESTORE = "restore_form"
NOT_KEPT = frozenset({"csrf_token", "submission"})
NOT_KEPT_BLUEPRINTS = frozenset({"auth", "two_factor", "health", "sms", "static"})
MAX_CHARACTERS = 200_000


def _keepable() -> bool:
    """A page's form post to a path that also opens with GET (where the form is shown). Not
    an item of a phone's offline queue: the phone keeps it and sends it again after the same
    person signs in, so keeping it here too would record it twice."""
    endpoint = request.endpoint or ""
    if request.headers.get(KEY_HEADER):
        return False
    if request.method != "POST" or not endpoint or \
            endpoint.partition(".")[0] in NOT_KEPT_BLUEPRINTS or endpoint == "static":
        return False
    try:
        current_app.url_map.bind("").match(request.path, method="GET")
    except HTTPException:
        return False
    return True


def _typed() -> list[list[str]]:
    return [[name, value] for name, value in request.form.items(multi=True)
            if name not in NOT_KEPT and "password" not in name]


def keep_typed(user_id: int) -> bool:
    """After the session of `user_id` ended: keep what this request posted, if it is a form
    worth keeping, and mark the (now empty) session with it. True when something was kept."""
    db.session.execute(delete(KeptForm).where(KeptForm.expires_at < utcnow()))
    fields = _typed() if _keepable() else []
    if not fields or sum(len(name) + len(value) for name, value in fields) > MAX_CHARACTERS:
        return False
    now = utcnow()
    kept = KeptForm(user_id=user_id, path=request.path, fields=fields, created_at=now,
                    expires_at=now + timedelta(
                        minutes=current_app.config["KEPT_FORM_MINUTES"]))
    db.session.add(kept)
    db.session.flush()
    session[KEPT] = kept.id
    return True


def ended_user(store) -> int | None:
    user_id = store.get(ENDED)
    return user_id if isinstance(user_id, int) else None


def claim(store, user) -> str | None:
    """At a sign-in: the kept form becomes `user`'s to see again if it was theirs (the path to
    go to); anyone else's is dropped unseen."""
    kept_id = store.pop(KEPT, None)
    kept = db.session.get(KeptForm, kept_id) if isinstance(kept_id, int) else None
    if kept is None:
        return None
    if kept.user_id != user.id or kept.expires_at < utcnow():
        db.session.delete(kept)
        return None
    store[RESTORE] = kept.id
    return kept.path


def _fits(form, fields) -> bool:
    names = {name.partition("-")[0] for name, _value in fields}
    return bool(names) and all(name in form._fields for name in names)


def restored_for(form) -> MultiDict | None:
    """The fields to fill `form` with, when this is the opening of the page of the signed-in
    person's kept form and `form` is the form they sent; the kept row is then used up."""
    if request.method != "GET" or RESTORE not in session:
        return None
    kept = db.session.get(KeptForm, session[RESTORE]) \
        if isinstance(session[RESTORE], int) else None
    if kept is None or not current_user.is_authenticated or kept.user_id != current_user.id \
            or kept.expires_at < utcnow():
        session.pop(RESTORE, None)
        if kept is not None:
            db.session.delete(kept)
        return None
    if kept.path != request.path or not _fits(form, kept.fields):
        return None
    session.pop(RESTORE, None)
    fields = MultiDict([tuple(pair) for pair in kept.fields])
    db.session.delete(kept)
    flash(_l("Here is what you typed before your session ended. Check it, then send it."),
          "info")
    return fields
