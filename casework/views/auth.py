"""Signing in and out, changing one's password and language."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required, login_user, logout_user

from ..errors import SignInThrottled
from ..extensions import db
from ..i18n import locale_code
from ..forms.auth import LanguageForm, LoginForm, PasswordForm
from ..services import accounts, events
from ..sessions import start_clock
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
        if user is not None:
            language = session.get("language")
            session.clear()  # a fresh session at sign-in
            if language:
                session["language"] = language
            login_user(user)
            start_clock(session)
            return redirect(safe_next(request.args.get("next")) or url_for("home.index"))
        form.form_errors.append(_l("Wrong username or password."))
        status = 401
    elif form.is_submitted():
        status = 400
    return render_template("auth/login.html", form=form,
                           language_form=LanguageForm(language=locale_code())), status


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
