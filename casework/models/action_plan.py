"""A mechanism's action plan for preventing and peacefully managing conflicts: its period,
objectives, the activities it plans with their budget (whole FCFA), and the cases it supports
(the programme asks each commune to take on two distinct conflicts)."""
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime

action_plan_cases = Table(
    "action_plan_cases", db.metadata,
    Column("plan_id", ForeignKey("action_plans.id"), primary_key=True),
    Column("case_id", ForeignKey("cases.id"), primary_key=True, index=True),
)


class ActionPlan(db.Model):
    __tablename__ = "action_plans"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mechanism_id: Mapped[int] = mapped_column(ForeignKey("mechanisms.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    objectives: Mapped[str] = mapped_column(Text)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    mechanism = relationship("Mechanism")
    activities: Mapped[list["PlannedActivity"]] = relationship(
        back_populates="plan", order_by="(PlannedActivity.planned_on, PlannedActivity.id)")
    cases = relationship("Case", secondary=action_plan_cases, order_by="Case.reference")

    def planned(self) -> list["PlannedActivity"]:
        return [a for a in self.activities if a.status != "cancelled"]

    @property
    def done_count(self) -> int:
        return sum(a.status == "done" for a in self.activities)

    @property
    def budget_planned(self) -> int:
        return sum(a.budget for a in self.planned())

    @property
    def budget_spent(self) -> int:
        return sum(a.spent for a in self.activities)


class PlannedActivity(db.Model):
    """An activity of a plan. Once done, what it cost: `actual_cost` when given, else its
    planned budget (`spent`)."""

    __tablename__ = "planned_activities"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    kind: Mapped[str] = mapped_column(String(32))
    planned_on: Mapped[date] = mapped_column(Date)
    budget: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    actual_cost: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    plan: Mapped[ActionPlan] = relationship(back_populates="activities")
    report = relationship("MechanismActivity", back_populates="planned", uselist=False)

    @property
    def spent(self) -> int:
        if self.status != "done":
            return 0
        return self.budget if self.actual_cost is None else self.actual_cost


__all__ = ["ActionPlan", "PlannedActivity", "action_plan_cases"]
