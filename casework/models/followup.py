"""A follow-up visit that checks, on the ground, whether an agreement holds."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


class FollowUp(db.Model):
    __tablename__ = "follow_ups"
    __table_args__ = (
        UniqueConstraint("proposal_id", "milestone_days"),
        # Agreements checked, and found broken, in a period: from the index alone.
        Index("ix_follow_ups_proposal_id_visit_date_outcome", "proposal_id", "visit_date",
              "outcome"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # The agreement this visit checks (an approved proposal).
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"))
    # The planned visit it stands for (30, 90 days after the agreement), or None for an extra visit.
    milestone_days: Mapped[int | None] = mapped_column(Integer)
    visit_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="follow_ups")
    proposal = relationship("Proposal")
    created_by = relationship("User")
