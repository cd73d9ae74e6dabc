"""The notification outbox: one message to one person on one channel, and where it stands."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime

CHANNELS = ("email", "sms")
KINDS = ("signoff_awaited", "signoff_reminder", "signoff_escalated", "proposal_rejected",
         "follow_up_due", "past_time_limit", "removed_from_team")
# pending -> sending -> sent; a failed attempt goes back to pending (later), or to failed.
STATUSES = ("pending", "sending", "sent", "failed")


class Notification(db.Model):
    """Written by `collect`, sent by `deliver`; the table, not a queue, is the source of truth.

    `dedupe_key` is unique: the same reason (kind, case, proposal or milestone or time limit,
    channel, person) never makes a second message, whoever runs `collect` and how often.
    `subject` and `body` are the text as sent: a case reference and what to do, never a
    party's name or the facts (casework/notifications/messages.py checks it).
    """

    __tablename__ = "notifications"
    __table_args__ = (
        # What `deliver` reads: the rows due now, oldest first.
        Index("ix_notifications_status_next_attempt_at", "status", "next_attempt_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    channel: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(32))
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The kind of the last failure (an exception's class, an HTTP status), never its message:
    # a server's answer may echo an address or a password.
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    user = relationship("User")
    case = relationship("Case")

    def __repr__(self) -> str:
        return f"<Notification {self.id} {self.kind} {self.channel} {self.status}>"


class NotificationPreference(db.Model):
    """What one person chose about one kind of message on one channel. Without a row, they get
    it (when they have the address); the in-app list "Mon travail" always shows everything."""

    __tablename__ = "notification_preferences"
    __table_args__ = (UniqueConstraint("user_id", "kind", "channel"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8))
    wanted: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
