"""Two-factor authentication: TOTP codes (RFC 6238, any authenticator app) and recovery codes.

Required of administrators and coordinators, who see every commune they cover; optional for
everyone else. A code is 6 digits for a 30-second time step; the previous and the next step
are accepted too (a phone's clock drifts), and never a step at or before the last one
accepted, so that a code seen over a shoulder cannot be used again. Ten recovery codes stand
in for a lost phone, each once. The time is `models.utcnow()`, which tests move with
`clock_at`. Neither the secret nor any code is ever written to the event log.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
import segno
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm.attributes import set_committed_value

from .. import access
from ..clock import utcnow
from ..errors import InvalidInput, NotPermitted, WrongCode
from ..extensions import db
from ..models import RecoveryCode, User
from . import events, throttling
from .accounts import require_admin, revoke_api_tokens

ISSUER = "Palabre"
STEP_SECONDS = 30
DIGITS = 6
VALID_WINDOW = 1  # steps accepted either side of now
RECOVERY_CODES = 10
# No 0/O, 1/I/L: a code copied from paper by hand reads one way only.
RECOVERY_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
RECOVERY_GROUPS, RECOVERY_GROUP_SIZE = 4, 4  # 16 characters: about 79 bits
_SEPARATORS = str.maketrans("", "", " -_\t\n\r")


def normalise(code: str | None) -> str:
    """What was typed, without spaces or dashes, in capitals."""
    return (code or "").translate(_SEPARATORS).upper()


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS, issuer=ISSUER)


def time_step(moment: datetime | None = None) -> int:
    """The RFC 6238 counter of `moment` (now by default)."""
    return int((moment or utcnow()).timestamp()) // STEP_SECONDS


def code_at(secret: str, step: int) -> str:
    """The code an authenticator app shows during `step` (for tests and the demo)."""
    return _totp(secret).generate_otp(step)


# -- enrolment -----------------------------------------------------------------------------

def begin_enrolment(user: User) -> str:
    """A new secret for the user, in force only once a first code confirms it.

    Idempotent while unconfirmed (reloading the page keeps the QR code already scanned).
    """
    if user.has_two_factor:
        raise InvalidInput(_l("Two-factor authentication is already on for this account."))
    if user.totp_secret is None:
        user.totp_secret = pyotp.random_base32()
        user.totp_last_step = None
        db.session.flush()
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return _totp(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def qr_svg(user: User) -> Markup:
    """The enrolment QR code as inline SVG markup (no script, no style: the CSP allows it)."""
    qr = segno.make(provisioning_uri(user), error="m")
    # segno writes only the modules as one path plus our constant title: no typed text reaches
    # the markup (the user name is inside the encoded data, drawn as squares).
    svg = qr.svg_inline(scale=4, title=ISSUER, svgclass="qr", lineclass=None, omitsize=True,
                        light="#fff")
    return Markup(svg)  # nosec B704  # generated SVG, no user-supplied text (see above)


def grouped(secret: str, size: int = 4) -> str:
    """The secret in groups of four, for typing by hand into an app."""
    return " ".join(secret[i:i + size] for i in range(0, len(secret), size))


def confirm_enrolment(user: User, code: str) -> list[str]:
    """Turn two-factor authentication on with the first code; returns the recovery codes."""
    if user.has_two_factor:
        raise InvalidInput(_l("Two-factor authentication is already on for this account."),
                           field="code")
    if user.totp_secret is None:
        raise InvalidInput(_l("Start again: scan the QR code first."), field="code")
    if _accept_totp(user, normalise(code)) is None:
        # Not counted by throttling (no username): this person already proved their password,
        # and a wrong first code opens nothing.
        events.record("auth.mfa_failed", actor=user, stage="enrolment")
        raise WrongCode(_l("This code is not the one expected: check the time of the phone "
                           "and type the code shown now."), field="code")
    user.totp_confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    events.record("auth.mfa_enrolled", actor=user, recovery_codes=len(codes))
    db.session.flush()
    return codes


def enrol_with_known_secret(user: User, secret: str) -> list[str]:
    """Turn two-factor on with a secret chosen beforehand, no first code asked: for the demo
    accounts (development only) and test data. A person enrols with begin/confirm above."""
    if len(secret) < 16 or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in secret):
        raise ValueError("a TOTP secret is base32, at least 16 characters")
    user.totp_secret, user.totp_last_step = secret, None
    user.totp_confirmed_at = utcnow()
    codes = _new_recovery_codes(user)
    events.record("auth.mfa_enrolled", actor=user, recovery_codes=len(codes), known_secret=True)
    db.session.flush()
    return codes


# -- checking a code -------------------------------------------------------------------------

def _accept_totp(user: User, typed: str) -> int | None:
    """The step whose code `typed` is, now or one step either side and after the last one
    accepted, recorded as the last one accepted; None when it is none of them."""
    if len(typed) != DIGITS or not typed.isdigit() or user.totp_secret is None:
        return None
    now, totp = time_step(), _totp(user.totp_secret)
    last = user.totp_last_step
    for step in range(now - VALID_WINDOW, now + VALID_WINDOW + 1):
        if last is not None and step <= last:
            continue
        if hmac.compare_digest(totp.generate_otp(step), typed):
            # Conditional: of two requests racing with the same code, one only wins.
            taken = db.session.execute(
                update(User).where(User.id == user.id,
                                   or_(User.totp_last_step.is_(None),
                                       User.totp_last_step < step))
                .values(totp_last_step=step).execution_options(synchronize_session=False))
            if taken.rowcount != 1:
                return None
            set_committed_value(user, "totp_last_step", step)
            return step
    return None


def _hash(code: str) -> str:
    # Recovery codes are random with ~79 bits: a plain SHA-256 cannot be reversed by trying
    # every code, and needs no salt (no two people can share a code's precomputed hash).
    return hashlib.sha256(code.encode("ascii")).hexdigest()


def _accept_recovery(user: User, typed: str) -> bool:
    size = RECOVERY_GROUPS * RECOVERY_GROUP_SIZE
    if len(typed) != size or any(c not in RECOVERY_ALPHABET for c in typed):
        return False
    used = db.session.execute(
        update(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                   RecoveryCode.code_hash == _hash(typed),
                                   RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False))
    return used.rowcount == 1


def verify(user: User, code: str, address: str | None = None, *,
           purpose: str = "sign_in") -> str | None:
    """Check a TOTP code or a recovery code of the user: "totp" or "recovery", else None.

    A wrong code is an `auth.mfa_failed` event, counted by sign-in throttling with the wrong
    passwords; while the account is closed (SignInThrottled), no code is even looked at.
    """
    if not user.has_two_factor:
        return None
    if (waiting := throttling.wait(user.username, address, code_step=True)) is not None:
        events.record("auth.login_throttled", actor=user, username=user.username,
                      address=address, stage="code")
        raise throttling.refusal(waiting)
    typed = normalise(code)
    if _accept_totp(user, typed) is not None:
        return "totp"
    if _accept_recovery(user, typed):
        events.record("auth.mfa_recovery_used", actor=user, purpose=purpose,
                      remaining=recovery_codes_left(user))
        return "recovery"
    events.record("auth.mfa_failed", actor=user, username=user.username, address=address,
                  stage=purpose)
    return None


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(select(func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


# -- recovery codes, turning off, reset ----------------------------------------------------

def _new_recovery_codes(user: User) -> list[str]:
    """Ten new codes replace every earlier one; shown once, only their hashes are kept."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id)
                       .execution_options(synchronize_session=False))
    codes = []
    while len(codes) < RECOVERY_CODES:
        raw = "".join(secrets.choice(RECOVERY_ALPHABET)
                      for _ in range(RECOVERY_GROUPS * RECOVERY_GROUP_SIZE))
        if raw not in codes:
            codes.append(raw)
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(raw)) for raw in codes)
    db.session.flush()
    return [grouped(raw, RECOVERY_GROUP_SIZE).replace(" ", "-") for raw in codes]


def _require_code(user: User, code: str, address: str | None, purpose: str) -> None:
    """Raises WrongCode (after recording the failure) unless `code` is valid now."""
    if verify(user, code, address, purpose=purpose) is None:
        raise WrongCode(_l("This code is not valid. Type the code the app shows now."),
                        field="code")


def regenerate_recovery_codes(user: User, code: str, address: str | None = None) -> list[str]:
    """New recovery codes for a user with two-factor on, confirmed by a current code."""
    if not user.has_two_factor:
        raise InvalidInput(_l("Two-factor authentication is off for this account."))
    _require_code(user, code, address, "recovery_codes")
    codes = _new_recovery_codes(user)
    events.record("auth.mfa_recovery_regenerated", actor=user, recovery_codes=len(codes))
    return codes


def _clear(user: User) -> None:
    user.totp_secret = user.totp_confirmed_at = user.totp_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id)
                       .execution_options(synchronize_session=False))


def disable(user: User, code: str, address: str | None = None) -> None:
    """Turn two-factor authentication off, for someone who does not require it, with a code."""
    if access.requires_two_factor(user):
        raise NotPermitted(_l("Your role requires two-factor authentication: it cannot be "
                              "turned off."))
    if not user.has_two_factor:
        raise InvalidInput(_l("Two-factor authentication is off for this account."))
    _require_code(user, code, address, "disable")
    _clear(user)
    events.record("auth.mfa_disabled", actor=user)
    db.session.flush()


def reset(actor, user: User) -> None:
    """An administrator clears the user's second factor (a lost phone) and ends their
    sessions; if their role requires it, they enrol again at their next sign-in."""
    require_admin(actor)
    had = user.totp_secret is not None
    _clear(user)
    user.end_sessions()
    revoke_api_tokens(actor, user, "mfa_reset")
    events.record("admin.mfa_reset", actor=actor, user_id=user.id, was_enrolled=had)
    db.session.flush()
