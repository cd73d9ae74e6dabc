"""The programme's partner organisations (AMSS, ARGA, CITRACO, CLUEDUCA...), kept by the
administrators and credited with each activity and each case, so that the programme report
says which partner did what."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


class Partner(db.Model):
    __tablename__ = "partners"
    __table_args__ = NEVER_REUSE_IDS

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    def __repr__(self) -> str:
        return f"<Partner {self.code}>"


class CasePartner(db.Model):
    """The partner credited with a case (one at most), in a table of its own. A coordinator
    sets or changes it from the case page (services/case_partners.py), which moves the case's
    version so that a form opened before the change is refused."""

    __tablename__ = "case_partners"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)
