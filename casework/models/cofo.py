"""The land commission's (COFO, commission foncière) conciliation of a land case referred to
it (workflows/definitions/land.v1.yaml): when it met the parties, whether it conciliated
them, the number of its record (PV), and the PV itself as a file of the case."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime

REACHED, FAILED = "reached", "failed"


class CofoConciliation(db.Model):
    __tablename__ = "cofo_conciliations"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # The referral that sent the case to the commune's COFO service.
    referral_id: Mapped[int] = mapped_column(ForeignKey("referrals.id"), index=True)
    conciliation_date: Mapped[date] = mapped_column(Date)
    # vocabulary.COFO_OUTCOMES: reached, failed.
    outcome: Mapped[str] = mapped_column(String(16))
    pv_number: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    # The PV as a file of the case (services/attachments.py), when one was given.
    attachment_id: Mapped[int | None] = mapped_column(ForeignKey("attachments.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="cofo_conciliations")
    referral = relationship("Referral")
    attachment = relationship("Attachment")
    recorded_by = relationship("User")

    def __repr__(self) -> str:
        return f"<CofoConciliation {self.id} {self.outcome} case={self.case_id}>"
