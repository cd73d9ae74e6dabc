"""One's own two-factor authentication: set it up, new recovery codes, turn it off."""
from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access, unit_of_work
from ..errors import InvalidInput, SignInThrottled, WrongCode
from ..extensions import db
from ..forms.auth import CodeForm
from ..services import two_factor
from ..sessions import PASSED, mark_two_factor_passed
from ..unit_of_work import keep_record

bp = Blueprint("two_factor", __name__, url_prefix="/account/two-factor")


@bp.before_request
@login_required
def _signed_in():
    return None


def _me():
    return current_user._get_current_object()


def _run(form: CodeForm, operation: Callable[[], object]) -> int | None:
    """Run a service that needs a code; None on success, else the form's status.

    A wrong code's failure event stands (throttling counts it); while sign-in is closed for
    this name the answer is 429.
    """
    if not form.validate_on_submit():
        return 400 if form.is_submitted() else 200
    try:
        operation()
        return None
    except WrongCode as wrong:
        keep_record()
        form.code.data = ""  # a new code is typed, never the wrong one shown back
        form.code.errors = [*form.code.errors, wrong.message]
        return 400
    except SignInThrottled as refused:
        keep_record()
        form.form_errors.append(refused.message)
        return 429
    except InvalidInput as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return 400


def _account_page(status: int = 200, **forms):
    user = _me()
    shown = {"renew": CodeForm(prefix="renew", formdata=None),
             "turn_off": CodeForm(prefix="off", formdata=None), **forms}
    left = two_factor.recovery_codes_left(user) if user.has_two_factor else None
    return render_template("two_factor/index.html", left=left,
                           required=access.requires_two_factor(user), **shown), status


def _recovery_codes(codes: list[str], message):
    """Shown on this answer only: the codes are kept nowhere but as hashes."""
    return render_template("two_factor/recovery_codes.html", codes=codes, message=message)


@bp.get("")
def index():
    return _account_page()


@bp.route("/enrol", methods=["GET", "POST"])
def enrol():
    """The QR code, the secret to type by hand, and the first code that turns it on."""
    user = _me()
    if user.has_two_factor:
        return redirect(url_for("two_factor.index"))
    if user.totp_secret is None:  # a new secret on the first visit only: reloading keeps it
        unit_of_work.apart(lambda: two_factor.begin_enrolment(user))
    form = CodeForm()
    codes: list[str] = []
    status = _run(form, lambda: codes.extend(two_factor.confirm_enrolment(user,
                                                                          form.code.data)))
    if status is None:
        mark_two_factor_passed(session, user)  # this session has just shown a code
        return _recovery_codes(codes, _l("Two-factor authentication is on."))
    return render_template("two_factor/enrol.html", form=form, qr=two_factor.qr_svg(user),
                           secret=two_factor.grouped(user.totp_secret),
                           required=access.requires_two_factor(user)), status


@bp.post("/recovery-codes")
def recovery_codes():
    user, form, codes = _me(), CodeForm(prefix="renew"), []
    status = _run(form, lambda: codes.extend(two_factor.regenerate_recovery_codes(
        user, form.code.data, request.remote_addr)))
    if status is None:
        return _recovery_codes(codes, _l("New recovery codes: the earlier ones no longer "
                                         "work."))
    return _account_page(status, renew=form)


@bp.post("/disable")
def disable():
    user, form = _me(), CodeForm(prefix="off")
    status = _run(form, lambda: two_factor.disable(user, form.code.data, request.remote_addr))
    if status is None:
        session.pop(PASSED, None)
        flash(_l("Two-factor authentication is off."), "success")
        return redirect(url_for("two_factor.index"))
    return _account_page(status, turn_off=form)
