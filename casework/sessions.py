"""Who is signed in: Flask-Login wiring, the two-factor and password-change gates, and write
intent per request."""
from __future__ import annotations

from flask import Flask, abort, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from . import access, kept_forms
from .clock import epoch_seconds
from .database import write_intent
from .errors import NotPermitted
from .extensions import db, login_manager
from .models import User
from .services.offline_submissions import WARM_HEADER

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Pages a user who must change their password may still open.
OPEN_ENDPOINTS = frozenset({"auth.login", "auth.logout", "auth.password", "auth.language",
                            "auth.switch_language", "health.healthz", "static"})
# ... and, for one whose role requires two-factor authentication, the page to set it up.
ENROLMENT_ENDPOINTS = OPEN_ENDPOINTS | {"two_factor.enrol"}
# Between the right password and the right code: who, with which session nonce, since when.
PENDING = "two_factor_pending"
PENDING_SECONDS = 5 * 60
# The user id whose code this session has passed; a user with two-factor authentication on
# is signed in only by a session that carries it (written at the code step, never before).
PASSED = "two_factor_passed"


def start_clock(store) -> None:
    """Stamp a new session (a cookie's dict): when it began and when it was last used."""
    store["signed_in_at"] = store["seen_at"] = epoch_seconds()


def keep_language(store) -> None:
    """Empty the session (a fresh one at each sign-in step) but keep the chosen language, and
    a form kept at the session's end (it waits for the sign-in, casework/kept_forms.py)."""
    kept = {key: store[key] for key in ("language", kept_forms.KEPT) if store.get(key)}
    store.clear()
    store.update(kept)


def begin_code_step(store, user: User) -> None:
    """The password was right; the session waits for a code, and is not signed in."""
    keep_language(store)
    store[PENDING] = {"user": user.id, "nonce": user.session_nonce, "at": epoch_seconds()}


def pending_user(store) -> User | None:
    """The user waiting at the code step, if the marker is under PENDING_SECONDS old and the
    user's sessions were not ended since (password change, disabling, logout elsewhere)."""
    marker = store.get(PENDING)
    if not isinstance(marker, dict):
        return None
    at, user_id = marker.get("at"), marker.get("user")
    if not isinstance(at, int) or not isinstance(user_id, int) \
            or not 0 <= epoch_seconds() - at <= PENDING_SECONDS:
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or user.session_nonce != marker.get("nonce") \
            or not user.has_two_factor:
        return None
    return user


def mark_two_factor_passed(store, user: User) -> None:
    store.pop(PENDING, None)
    store[PASSED] = user.id


def _expired(store) -> bool:
    """Idle longer than SESSION_IDLE_MINUTES, or older than SESSION_MAX_HOURS (phones are
    shared: a session left open on one must not last); a session with no clock is over."""
    now, config = epoch_seconds(), current_app.config
    began, seen = store.get("signed_in_at"), store.get("seen_at")
    return (began is None or seen is None
            or now - seen > config["SESSION_IDLE_MINUTES"] * 60
            or now - began > config["SESSION_MAX_HOURS"] * 3600)


def end_session(user_id: int):
    """The session of `user_id` is over: to the sign-in page, keeping a form it was sending
    for them alone (casework/kept_forms.py)."""
    logout_user()
    keep_language(session)
    session[kept_forms.ENDED] = user_id
    if kept_forms.keep_typed(user_id):
        flash(_l("Your session has ended. What you typed is kept: sign in again to find it "
                 "and send it."), "info")
        return redirect(url_for("auth.login"), 303)
    flash(_l("Your session has ended: sign in again."), "info")
    return redirect(url_for("auth.login"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The cookie holds "<id>:<nonce>": a changed nonce (password change, disabling) ends it."""
    user_pk, _, nonce = user_id.partition(":")
    if not user_pk.isdigit() or not nonce:
        return None
    user = db.session.get(User, int(user_pk))
    if user is None or not user.active or user.session_nonce != nonce:
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @app.url_value_preprocessor
    def _declare_write_intent(_endpoint, _values):
        # Before anything reads the database: the app's URL value preprocessors run before the
        # blueprints' (one of which, views/uploads.allow_files, loads the signed-in user) and
        # before every before_request function. A POST's transaction then begins IMMEDIATE on
        # SQLite; begun as a read, it could not write once someone else had written meanwhile.
        writes = request.method not in SAFE_METHODS
        request.environ["palabre.write_token"] = write_intent.set(writes)

    @app.after_request
    def _warming_leaves_the_session(response):
        # A background fetch answered after the person's next request must not put back the
        # cookie it was sent with (a session kept, ended or signed into meanwhile).
        if request.headers.get(WARM_HEADER):
            session.modified = False
        return response

    @app.teardown_request
    def _reset_write_intent(_error=None):
        token = request.environ.pop("palabre.write_token", None)
        if token is not None:
            write_intent.reset(token)

    @app.before_request
    def _session_clock():
        warming = bool(request.headers.get(WARM_HEADER))
        if request.endpoint == "static":
            return None
        if not current_user.is_authenticated:
            if warming:  # a background fetch for nobody: no sign-in page, no message kept
                abort(401)
            return None
        if _expired(session):
            if warming:  # the phone's background refresh: the person's next page ends it
                abort(401)
            return end_session(current_user.id)
        if warming:
            return None  # no sign of the person's activity: the idle clock runs on
        now = epoch_seconds()
        if now - session["seen_at"] >= 60:  # a minute is precise enough, and spares cookies
            session["seen_at"] = now
        return None

    @app.before_request
    def _two_factor_gate():
        """A user with two-factor on needs a session that passed the code step; one whose role
        requires it and who has not set it up may open only the page that sets it up."""
        if request.endpoint == "static" or not current_user.is_authenticated:
            return None
        if current_user.has_two_factor:
            if session.get(PASSED) == current_user.id:
                return None
            logout_user()
            keep_language(session)
            flash(_l("Sign in again, with your two-factor code."), "info")
            return redirect(url_for("auth.login"))
        if request.endpoint not in ENROLMENT_ENDPOINTS \
                and access.requires_two_factor(current_user):
            return redirect(url_for("two_factor.enrol"))
        return None

    @app.before_request
    def _figures_only_gate():
        """A donor opens the programme report and their account, nothing else."""
        if current_user.is_authenticated and not access.may_open(current_user,
                                                                 request.endpoint):
            raise NotPermitted(_l("Your account shows the programme report only."))
        return None

    @app.before_request
    def _force_password_change():
        if (current_user.is_authenticated and current_user.must_change_password
                and request.endpoint not in OPEN_ENDPOINTS):
            return redirect(url_for("auth.password"))
        return None
