"""A mediation step logged by the reconciliation team, with participants counted by sex and age."""
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime

# The participant counts of a step, by sex and age group, as the programme reports them.
PARTICIPANTS = ("women", "men", "young_women", "young_men")


class MediationStep(db.Model):
    __tablename__ = "mediation_steps"
    __table_args__ = (
        # Participants by sex and age over a period, summed from the index alone.
        Index("ix_mediation_steps_participants", "step_date", "women", "men", "young_women",
              "young_men"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    step_date: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    place: Mapped[str] = mapped_column(String(160))
    women: Mapped[int] = mapped_column(Integer, default=0)
    men: Mapped[int] = mapped_column(Integer, default=0)
    young_women: Mapped[int] = mapped_column(Integer, default=0)
    young_men: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text)
    outcome: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str | None] = mapped_column(Text)
    next_step_date: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case", back_populates="steps")
    created_by = relationship("User")

    @property
    def participants(self) -> int:
        return sum(getattr(self, name) for name in PARTICIPANTS)

    @property
    def female_participants(self) -> int:
        return self.women + self.young_women
