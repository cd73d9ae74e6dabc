"""A referral: a case sent by its team to a service of the directory, which accepts or
declines it, then records what became of it (services/referrals.py)."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime

SENT, ACCEPTED, DECLINED, OUTCOME_RECORDED = "sent", "accepted", "declined", "outcome_recorded"


class Referral(db.Model):
    __tablename__ = "referrals"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    service_id: Mapped[int] = mapped_column(ForeignKey("services.id"), index=True)
    referred_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    # The consent to share the parties' names with the service: no consent, no names.
    consent: Mapped[bool] = mapped_column(Boolean)
    consent_by: Mapped[str | None] = mapped_column(String(160))  # the survivor, the parties...
    consent_how: Mapped[str | None] = mapped_column(String(16))  # vocabulary.CONSENT_WAYS
    consent_on: Mapped[date | None] = mapped_column(Date)
    # Unanswered after this day (the transition's `answer_days`), the referral is late.
    answer_by: Mapped[date] = mapped_column(Date, index=True)
    # vocabulary.REFERRAL_STATUSES: sent, accepted, declined, outcome_recorded.
    status: Mapped[str] = mapped_column(String(20), default=SENT, index=True)
    answered_at = mapped_column(UTCDateTime)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    outcome_at = mapped_column(UTCDateTime)
    outcome_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # Moved by each answer: a form opened before another answer gets a 409.
    version: Mapped[int] = mapped_column(Integer, default=1)

    case = relationship("Case")
    service = relationship("Service")
    referred_by = relationship("User", foreign_keys=[referred_by_id])

    def __repr__(self) -> str:
        return f"<Referral {self.id} {self.status}>"
