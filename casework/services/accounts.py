"""User accounts: passwords, sign-in, roles in communes, disabling; each change is an event."""
from __future__ import annotations

import re
import secrets
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update
from werkzeug.security import check_password_hash, generate_password_hash

from .. import access
from ..clock import utcnow
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..models import ApiToken, Commune, Membership, User
from ..vocabulary import ROLES
from . import events, throttling
from .validation import require_choice, require_text

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 256
COMMON_PASSWORDS = Path(__file__).resolve().parent.parent / "data" / "common-passwords.txt"
LANGUAGES = ("fr", "en")
# Spent on an unknown username too, so that the answer takes as long as for a known one.
_DUMMY_HASH = None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def check_new_password(password: str, field: str = "password") -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(_l("The password needs at least %(n)d characters.",
                              n=MIN_PASSWORD_LENGTH), field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(_l("The password can have at most %(n)d characters.",
                              n=MAX_PASSWORD_LENGTH), field=field)
    if password.strip().lower() in common_passwords():
        raise InvalidInput(_l("This password is one of the most common ones, the first that "
                              "an attacker tries: choose another."), field=field)
    return password


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common passwords shipped in casework/data (see its header for where they come from)."""
    lines = COMMON_PASSWORDS.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def _sex(value: str | None) -> str | None:
    return require_choice(value, ("F", "M"), "sex") if value else None


def _phone(value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > 40:
        raise InvalidInput(_l("At most %(n)d characters.", n=40), field="phone")
    return value or None


# One address, as a person types it in a form: something@domain.tld, no spaces, no list.
_EMAIL = re.compile(r"[^@\s,;<>\"]+@[^@\s,;<>\"]+\.[^@\s,;<>\".]+")


def _email(value: str | None) -> str | None:
    value = (value or "").strip()
    if len(value) > 254:
        raise InvalidInput(_l("At most %(n)d characters.", n=254), field="email")
    if value and not _EMAIL.fullmatch(value):
        raise InvalidInput(_l("This e-mail address is not valid."), field="email")
    return value or None


def require_admin(actor) -> None:
    """`actor` None is the operator at the server's console (a flask command)."""
    if actor is not None and not access.can(actor, "administer"):
        raise NotPermitted(_l("Only an administrator can do this."))


def find_user(username: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.username) == username.lower()))


def authenticate(username: str, password: str, address: str | None = None) -> User | None:
    """The active user with these credentials, or None; every outcome is an event.

    A user with two-factor authentication on is not signed in yet: the caller asks for a code
    (services/two_factor.verify), then calls `complete_sign_in`.
    Raises SignInThrottled while this name waits at this address (services/throttling.py).
    """
    global _DUMMY_HASH
    typed = (username or "").strip().lower()[:80]
    if (waiting := throttling.wait(typed, address)) is not None:
        events.record("auth.login_throttled", username=typed, address=address)
        raise throttling.refusal(waiting)
    user = find_user(typed) if typed else None
    if user is None:
        _DUMMY_HASH = _DUMMY_HASH or hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password or "")
        events.record("auth.login_failed", username=typed, address=address, reason="unknown")
        return None
    if not check_password_hash(user.password_hash, password or "") or not user.active:
        events.record("auth.login_failed", actor=user, username=typed, address=address,
                      reason="password" if user.active else "disabled")
        return None
    if user.has_two_factor:
        events.record("auth.mfa_challenged", actor=user, address=address)
    else:
        complete_sign_in(user, address=address)
    return user


def sign_out(user: User) -> None:
    """End every session of the user: a copy of this cookie, on this phone or another, is
    refused from now on."""
    user.end_sessions()
    events.record("auth.logout", actor=user)


def complete_sign_in(user: User, second_factor: str | None = None, *,
                     address: str | None = None) -> None:
    """The sign-in is complete (password, and the code when one is asked): the login event,
    with the address it came from (throttling lets this name through there)."""
    user.last_login_at = utcnow()
    if second_factor:
        events.record("auth.login", actor=user, second_factor=second_factor, address=address)
    else:
        events.record("auth.login", actor=user, address=address)


def create_user(actor, *, username: str, full_name: str, password: str, sex: str | None = None,
                phone: str | None = None, email: str | None = None, language: str = "fr",
                is_admin: bool = False, must_change_password: bool = True, memberships=(),
                is_demo: bool = False) -> User:
    require_admin(actor)
    username = require_text(username, "username", max_length=80).lower()
    if find_user(username) is not None:
        raise InvalidInput(_l("This username is already taken."), field="username")
    user = User(username=username, full_name=require_text(full_name, "full_name", max_length=160),
                password_hash=hash_password(check_new_password(password)),
                sex=_sex(sex), phone=_phone(phone), email=_email(email),
                language=require_choice(language, LANGUAGES, "language"), is_admin=is_admin,
                must_change_password=must_change_password, is_demo=is_demo, active=True,
                memberships=[])  # known empty: set_memberships need not load it
    db.session.add(user)
    db.session.flush()
    events.record("admin.user_created", actor=actor, user_id=user.id, username=username,
                  is_admin=is_admin)
    set_memberships(actor, user, memberships)
    return user


def set_memberships(actor, user: User, pairs) -> None:
    """Make the user's roles exactly `pairs` of (commune_id, role)."""
    require_admin(actor)
    if user.is_admin and pairs:
        raise InvalidInput(_l("An administrator does no case work: use a separate account "
                              "for a role in a commune."), field="roles")
    wanted = set()
    for commune_id, role in pairs:
        require_choice(role, ROLES, "roles")
        if db.session.get(Commune, commune_id) is None:
            raise InvalidInput(_l("Unknown commune."), field="roles")
        wanted.add((commune_id, role))
    current = {(m.commune_id, m.role): m for m in user.memberships}
    added, removed = sorted(wanted - set(current)), sorted(set(current) - wanted)
    for key in removed:
        user.memberships.remove(current[key])
    for commune_id, role in added:
        user.memberships.append(Membership(commune_id=commune_id, role=role))
    if added or removed:
        events.record("admin.roles_changed", actor=actor, user_id=user.id,
                      added=[list(k) for k in added], removed=[list(k) for k in removed])
    db.session.flush()


def set_active(actor, user: User, active: bool) -> None:
    require_admin(actor)
    if actor is not None and actor.id == user.id and not active:
        raise InvalidInput(_l("You cannot disable your own account."), field="active")
    if user.active == active:
        return
    user.active = active
    user.end_sessions()
    if not active:
        revoke_api_tokens(actor, user, "disabled")
    events.record("admin.user_enabled" if active else "admin.user_disabled", actor=actor,
                  user_id=user.id)
    db.session.flush()


def reset_password(actor, user: User) -> str:
    """Give the user a new temporary password, shown once; they must change it at next login."""
    require_admin(actor)
    temporary = secrets.token_urlsafe(9)
    user.password_hash = hash_password(temporary)
    user.must_change_password = True
    user.end_sessions()
    revoke_api_tokens(actor, user, "password_reset")
    events.record("admin.password_reset", actor=actor, user_id=user.id)
    db.session.flush()
    return temporary


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current or ""):
        raise InvalidInput(_l("The current password is wrong."), field="current_password")
    check_new_password(new, "new_password")
    if new == current:
        raise InvalidInput(_l("Choose a password different from the current one."),
                           field="new_password")
    user.password_hash = hash_password(new)
    user.must_change_password = False
    user.end_sessions()
    revoke_api_tokens(user, user, "password_changed")
    events.record("auth.password_changed", actor=user)
    db.session.flush()


def set_language(user: User, language: str) -> None:
    user.language = require_choice(language, LANGUAGES, "language")
    events.record("auth.language_changed", actor=user, language=language)
    db.session.flush()


def update_profile(actor, user: User, *, full_name: str, sex: str | None, phone: str | None,
                   is_admin: bool, email: str | None = None) -> None:
    require_admin(actor)
    user.full_name = require_text(full_name, "full_name", max_length=160)
    user.sex = _sex(sex)
    user.phone = _phone(phone)
    user.email = _email(email)
    if actor is not None and actor.id == user.id and not is_admin:
        raise InvalidInput(_l("You cannot remove your own administrator right."),
                           field="is_admin")
    if is_admin and user.memberships:
        raise InvalidInput(_l("An administrator does no case work: remove this person's "
                              "roles in the communes first."), field="is_admin")
    user.is_admin = is_admin
    events.record("admin.user_updated", actor=actor, user_id=user.id)
    db.session.flush()


def revoke_api_tokens(actor: User | None, user: User, reason: str) -> int:
    """Revoke every live API token of `user` (password changed or reset, account disabled,
    second factor reset: new credentials end the API's tokens too, not only the browser's
    sessions), as `actor` (None: a command at the server); returns how many."""
    revoked = db.session.execute(
        update(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if revoked:
        events.record("auth.tokens_revoked", actor=actor, user_id=user.id, count=revoked,
                      reason=reason)
    return revoked
