"""A commune's conflict-prevention mechanism, its members, and its FFOM analyses over time.

FFOM: forces, faiblesses, opportunités, menaces (strengths, weaknesses, opportunities,
threats), the assessment each mechanism makes of itself; several per mechanism, dated, so
that the progress shows from one to the next.
"""
from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime

FFOM_LISTS = ("strengths", "weaknesses", "opportunities", "threats")


class Mechanism(db.Model):
    __tablename__ = "mechanisms"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # One mechanism per commune: its reconciliation team is the commune's mediators.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"), unique=True)
    name: Mapped[str] = mapped_column(String(160))
    set_up_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    commune = relationship("Commune", lazy="joined")
    members: Mapped[list["MechanismMember"]] = relationship(
        back_populates="mechanism", order_by="(MechanismMember.full_name, MechanismMember.id)")
    analyses: Mapped[list["FfomAnalysis"]] = relationship(
        back_populates="mechanism", order_by="(FfomAnalysis.analysed_on, FfomAnalysis.id)")

    @property
    def current_members(self) -> list["MechanismMember"]:
        return [m for m in self.members if m.left_on is None]

    def __repr__(self) -> str:
        return f"<Mechanism {self.id} commune={self.commune_id}>"


class MechanismMember(db.Model):
    """A person of the mechanism; never deleted: one who leaves keeps the date they left."""

    __tablename__ = "mechanism_members"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mechanism_id: Mapped[int] = mapped_column(ForeignKey("mechanisms.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(160))
    sex: Mapped[str] = mapped_column(String(1))
    age_group: Mapped[str] = mapped_column(String(16))
    function: Mapped[str] = mapped_column(String(32))
    # The member's account, when they have one (a mediator of the reconciliation team, say).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    mechanism: Mapped[Mechanism] = relationship(back_populates="members")
    user = relationship("User", foreign_keys=[user_id])


class FfomAnalysis(db.Model):
    """One FFOM analysis: its date, the four lists of items, and who took part, by sex."""

    __tablename__ = "ffom_analyses"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mechanism_id: Mapped[int] = mapped_column(ForeignKey("mechanisms.id"), index=True)
    analysed_on: Mapped[date] = mapped_column(Date)
    strengths: Mapped[list] = mapped_column(JSON, default=list)
    weaknesses: Mapped[list] = mapped_column(JSON, default=list)
    opportunities: Mapped[list] = mapped_column(JSON, default=list)
    threats: Mapped[list] = mapped_column(JSON, default=list)
    women: Mapped[int] = mapped_column(Integer, default=0)
    men: Mapped[int] = mapped_column(Integer, default=0)
    facilitator: Mapped[str] = mapped_column(String(160), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Corrected after it is recorded: a form opened before a correction gets a 409.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    mechanism: Mapped[Mechanism] = relationship(back_populates="analyses")

    @property
    def participants(self) -> int:
        return self.women + self.men

    def items(self, name: str) -> list[str]:
        return list(getattr(self, name) or [])
