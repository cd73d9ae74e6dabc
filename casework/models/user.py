"""People who sign in, and the roles they hold in communes."""
import secrets

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


def new_session_nonce() -> str:
    return secrets.token_hex(16)


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(160))
    sex: Mapped[str | None] = mapped_column(String(1))
    phone: Mapped[str | None] = mapped_column(String(40))
    # Where notifications are e-mailed (services/notifications.py); none: only in the app.
    email: Mapped[str | None] = mapped_column(String(254))
    password_hash: Mapped[str] = mapped_column(String(255))
    language: Mapped[str] = mapped_column(String(5), default="fr")
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    must_change_password: Mapped[bool] = mapped_column(Boolean, default=False)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    # Part of the session cookie's user id: changing it ends every session of the user.
    session_nonce: Mapped[str] = mapped_column(String(32), default=new_session_nonce)
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    last_login_at = mapped_column(UTCDateTime)
    # Two-factor authentication (services/two_factor.py): the TOTP secret (base32), set when
    # enrolment begins and in force once confirmed by a first code; the last time step whose
    # code was accepted, so that no code is ever accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at = mapped_column(UTCDateTime)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)

    # Loaded with the signed-in user (sessions.load_user), not with every user a page names:
    # the author of an event may be a coordinator with hundreds of roles.
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )

    def get_id(self) -> str:
        return f"{self.id}:{self.session_nonce}"

    @property
    def is_active(self) -> bool:
        return self.active

    def end_sessions(self) -> None:
        self.session_nonce = new_session_nonce()

    @property
    def has_two_factor(self) -> bool:
        """A confirmed TOTP secret: signing in asks for a code after the password."""
        return self.totp_secret is not None and self.totp_confirmed_at is not None

    def __repr__(self) -> str:
        return f"<User {self.username}>"


class Membership(db.Model):
    """A role held by a user in one commune (for a coordinator: a commune they cover)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "commune_id", "role"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)

    user: Mapped[User] = relationship(back_populates="memberships")
    # Not joined: every request loads the signed-in user's roles, and a coordinator of the
    # whole country holds hundreds; the pages that name the communes load them in one query.
    commune = relationship("Commune")


class RecoveryCode(db.Model):
    """A one-time code that stands in for the phone's TOTP code; only its hash is kept."""

    __tablename__ = "recovery_codes"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    created_at = mapped_column(UTCDateTime, default=utcnow, nullable=False)
    used_at = mapped_column(UTCDateTime)
