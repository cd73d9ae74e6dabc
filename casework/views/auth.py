"""Signing in (password, then a two-factor code when it is on) and out, changing one's
password and language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from .. import kept_forms
from ..errors import SignInThrottled
from ..forms.auth import CodeForm, LanguageForm, LoginForm, MessagesForm, PasswordForm
from ..i18n import LANGUAGE_NOW, locale_code
from ..models.notification import CHANNELS
from ..services import accounts, notifications, two_factor
from ..sessions import (
    PENDING,
    begin_code_step,
    keep_language,
    mark_two_factor_passed,
    pending_user,
    start_clock,
)
from ..unit_of_work import keep_record
from ..vocabulary import MESSAGE_KINDS
from .common import handle_form, perform

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, never a scheme-relative URL, and no
    control character (a line break would end the Location header: a 500)."""
    if not target or not target.isprintable():
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


@bp.get("/language/<language>")
def switch_language(language):
    """The footer's switch, on every page: a link, not a form, that comes back to the page it
    was clicked on. It changes the language of this session only, and writes nothing: the
    account's language is saved on its page. What was typed on the page is kept on the phone
    by static/js/keep-typed.js, never in the address (it may hold the parties' names)."""
    if language not in current_app.config["LANGUAGES"]:
        abort(404)
    session["language"] = language
    if current_user.is_authenticated:
        session[LANGUAGE_NOW] = language
    return redirect(safe_next(request.args.get("next")) or url_for("home.index"))


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(form.username.data, form.password.data,
                                         request.remote_addr)
        except SignInThrottled as refused:
            keep_record()  # the refused attempt is an event too
            form.form_errors.append(refused.message)
            return render_template("auth/login.html", form=form,
                                   language_form=LanguageForm(language=locale_code())), 429
        target = safe_next(request.args.get("next"))
        if user is not None and user.has_two_factor:
            begin_code_step(session, user)  # not signed in until the code is right
            return redirect(url_for("auth.code", next=target))
        if user is not None:
            return redirect(sign_in(user) or target or url_for("home.index"))
        keep_record()  # the failure counts toward throttling
        form.form_errors.append(_l("Wrong username or password."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form,
                           language_form=LanguageForm(language=locale_code())), status


def sign_in(user, *, second_factor_passed: bool = False) -> str | None:
    """A fresh session for `user`, its clock started; the path of the form they were sending
    when their last session ended, if one was kept for them (anyone else's is dropped)."""
    keep_language(session)
    kept = kept_forms.claim(session, user)
    login_user(user)
    start_clock(session)
    if second_factor_passed:
        mark_two_factor_passed(session, user)
    return kept


@bp.route("/login/code", methods=["GET", "POST"])
def code():
    """The second step: a code from the authenticator app, or a recovery code."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    user = pending_user(session)
    target = safe_next(request.args.get("next"))
    if user is None:
        session.pop(PENDING, None)
        flash(_l("Sign in again: the code is asked within five minutes of the password."),
              "info")
        return redirect(url_for("auth.login", next=target))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        try:
            method = two_factor.verify(user, form.code.data, request.remote_addr)
        except SignInThrottled as refused:
            keep_record()  # the refused attempt is an event too
            form.form_errors.append(refused.message)
            return render_template("auth/code.html", form=form), 429
        if method is not None:
            accounts.complete_sign_in(user, method, address=request.remote_addr)
            left = two_factor.recovery_codes_left(user) if method == "recovery" else None
            kept = sign_in(user, second_factor_passed=True)
            if left is not None:
                flash(_l("You signed in with a recovery code; %(n)d are left. Make new ones "
                         "from the two-factor page if you run short.", n=left), "info")
            return redirect(kept or target or url_for("home.index"))
        keep_record()  # the failure counts toward throttling
        form.code.data = ""  # a new code is typed, never the wrong one shown back
        form.code.errors = [_l("This code is not valid. Type the code the app shows now.")]
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/code.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    accounts.sign_out(current_user._get_current_object())
    logout_user()
    session.clear()
    flash(_l("You are signed out. You can hand the phone over."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def password():
    form = PasswordForm()
    status = 200
    if form.validate_on_submit():
        user = current_user._get_current_object()
        outcome = perform(form, lambda: accounts.change_password(
            user, form.current_password.data, form.new_password.data))
        status = outcome.status
        if outcome.done:
            login_user(user)  # the change ended every session, this one included: renew it
            flash(_l("Your password is changed."), "success")
            return redirect(url_for("home.index"))
    elif form.is_submitted():
        status = 400
    return _account_page(form, status=status)


def _messages_form(**kwargs) -> MessagesForm:
    return MessagesForm(MESSAGE_KINDS, CHANNELS, **kwargs)


def _account_page(form=None, messages_form=None, status=200):
    user = current_user._get_current_object()
    if messages_form is None:
        off = notifications.turned_off(user)
        messages_form = _messages_form(wanted=[f"{k}:{c}" for k in MESSAGE_KINDS
                                               for c in CHANNELS if (k, c) not in off])
    return render_template("auth/password.html", form=form or PasswordForm(formdata=None),
                           language_form=LanguageForm(language=locale_code()),
                           messages_form=messages_form), status


@bp.post("/account/messages")
@login_required
def messages():
    """Which messages the person gets by e-mail and SMS; "Mon travail" shows everything."""
    form = _messages_form()
    outcome = handle_form(form, lambda: notifications.set_choices(
        current_user._get_current_object(), form.pairs()))
    if outcome.done:
        flash(_l("Your choice of messages is saved."), "success")
        return redirect(url_for("auth.password") + "#messages")
    return _account_page(messages_form=form, status=outcome.status)


@bp.post("/account/language")
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            accounts.set_language(current_user, form.language.data)
        session["language"] = form.language.data
        session.pop(LANGUAGE_NOW, None)  # the account's language, saved, applies again
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
