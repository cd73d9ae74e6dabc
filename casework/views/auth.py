"""Signing in (password, then a two-factor code when it is on) and out, changing one's
password and language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import SignInThrottled
from ..extensions import db
from ..i18n import locale_code
from ..forms.auth import CodeForm, LanguageForm, LoginForm, PasswordForm
from ..services import accounts, events, two_factor
from ..sessions import (PENDING, begin_code_step, keep_language, mark_two_factor_passed,
                        pending_user, start_clock)
from .common import perform

bp = Blueprint("auth", __name__)


def safe_next(target: str | None) -> str | None:
    """Only a path on this site: never another host, never a scheme-relative URL."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return None
    return target


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
            db.session.commit()  # the refused attempt is an event too
            form.form_errors.append(refused.message)
            return render_template("auth/login.html", form=form,
                                   language_form=LanguageForm(language=locale_code())), 429
        db.session.commit()
        target = safe_next(request.args.get("next"))
        if user is not None and user.has_two_factor:
            begin_code_step(session, user)  # not signed in until the code is right
            return redirect(url_for("auth.code", next=target))
        if user is not None:
            sign_in(user)
            return redirect(target or url_for("home.index"))
        form.form_errors.append(_l("Wrong username or password."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form,
                           language_form=LanguageForm(language=locale_code())), status


def sign_in(user, *, second_factor_passed: bool = False) -> None:
    """A fresh session for `user`, its clock started."""
    keep_language(session)
    login_user(user)
    start_clock(session)
    if second_factor_passed:
        mark_two_factor_passed(session, user)


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
            db.session.commit()  # the refused attempt is an event too
            form.form_errors.append(refused.message)
            return render_template("auth/code.html", form=form), 429
        if method is not None:
            accounts.complete_sign_in(user, method)
            left = two_factor.recovery_codes_left(user) if method == "recovery" else None
            db.session.commit()
            sign_in(user, second_factor_passed=True)
            if left is not None:
                flash(_l("You signed in with a recovery code; %(n)d are left. Make new ones "
                         "from the two-factor page if you run short.", n=left), "info")
            return redirect(target or url_for("home.index"))
        db.session.commit()  # the failure counts toward throttling
        form.code.data = ""  # a new code is typed, never the wrong one shown back
        form.code.errors = [_l("This code is not valid. Type the code the app shows now.")]
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/code.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    user = current_user._get_current_object()
    user.end_sessions()  # a copy of this cookie, on this phone or another, is refused from now on
    events.record("auth.logout", actor=user)
    db.session.commit()
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
        status = perform(form, lambda: accounts.change_password(
            user, form.current_password.data, form.new_password.data))
        if status is None:
            login_user(user)  # the change ended every session, this one included: renew it
            flash(_l("Your password is changed."), "success")
            return redirect(url_for("home.index"))
    elif form.is_submitted():
        status = 400
    return render_template("auth/password.html", form=form,
                           language_form=LanguageForm(language=locale_code())), status


@bp.post("/account/language")
def language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            accounts.set_language(current_user, form.language.data)
            db.session.commit()
        session["language"] = form.language.data
    return redirect(safe_next(request.form.get("next")) or url_for("home.index"))
