"""Where a case came from when it did not come from the intake screen: a KoboToolbox / ODK
submission or an SMS, keyed by its identifier so that the same submission never opens two cases."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime

INTAKE_SOURCES = ("kobo", "sms")


class IntakeRecord(db.Model):
    """One submission taken in: its source, its identifier there (a KoboToolbox `_uuid`, an SMS
    gateway's message id), who sent it and when, and the case it opened."""

    __tablename__ = "intake_records"
    __table_args__ = (UniqueConstraint("source", "external_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(80))
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), unique=True)
    # As the source says: when the form was submitted, the enumerator's account there.
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    submitted_by: Mapped[str | None] = mapped_column(String(160))
    imported_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # An SMS or a form filled in the field is a lead, not a report: a mediator checks the facts
    # and names the parties; the figures count the case from then on.
    to_verify: Mapped[bool] = mapped_column(Boolean, default=False)

    case = relationship("Case")
    imported_by = relationship("User")

    @property
    def short_id(self) -> str:
        return self.external_id.removeprefix("uuid:")[:8]
