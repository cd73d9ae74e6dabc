"""Proposals (a transition that needs sign-offs, with its agreement text) and the sign-offs."""
from datetime import datetime

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    and_,
    exists,
    false,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime
from .case import Case


class Proposal(db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        # At most one proposal waits on a case at a time, whatever the race.
        Index("uq_proposals_one_pending_per_case", "case_id", unique=True,
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        # The pending proposals by when they were made: those whose sign-off became late
        # today, for the menu's count (queries/worklist.py).
        Index("ix_proposals_pending_proposed_at", "proposed_at",
              sqlite_where=text("status = 'pending'"),
              postgresql_where=text("status = 'pending'")),
        # A case's current agreement (its last approved proposal), from the index alone.
        Index("ix_proposals_case_id_status", "case_id", "status"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    trigger: Mapped[str] = mapped_column(String(64))
    from_state: Mapped[str] = mapped_column(String(64))
    to_state: Mapped[str] = mapped_column(String(64))
    agreement_text: Mapped[str] = mapped_column(Text)
    # Who witnessed the agreement, one per line (optional): people of the village with no
    # account, printed on the procès-verbal with a place to sign.
    witnesses: Mapped[str] = mapped_column(Text, default="", server_default="")
    required_roles: Mapped[list] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default="pending")
    proposed_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    proposed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Moves on with every change to the proposal's own row (its terms, its status), and only
    # then: a sign-off form carries it, so the form is stale when the proposal changed, and
    # not when something else of the case did (a step, a file, another role's approval).
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")
    __mapper_args__ = {"version_id_col": version}

    case = relationship("Case", back_populates="proposals")
    proposed_by = relationship("User", lazy="joined")
    signoffs: Mapped[list["SignOff"]] = relationship(
        back_populates="proposal", order_by="SignOff.id", lazy="selectin"
    )

    @property
    def signed_roles(self) -> set[str]:
        return {s.role for s in self.signoffs}

    @property
    def witness_names(self) -> list[str]:
        return [line.strip() for line in (self.witnesses or "").splitlines() if line.strip()]

    @property
    def approved_at(self) -> datetime | None:
        """When the last sign-off approved it (set then as `decided_at`): the agreement's date."""
        return self.decided_at if self.status == "approved" else None

    # "Who must still sign", the one rule, in Python and in SQL: a pending proposal awaits
    # each role its transition's `signoffs` lists (copied into `required_roles` when it was
    # made, from its case's workflow version) that has not signed it yet.

    @property
    def awaited_roles(self) -> list[str]:
        """Roles whose sign-off the proposal still waits for, in the definition's order."""
        if self.status != "pending":
            return []
        return [role for role in self.required_roles if role not in self.signed_roles]

    @classmethod
    def waiting(cls, end=None):
        """In SQL: the proposal waits for its sign-offs (at the instant `end`; None: now)."""
        if end is None:
            return cls.status == "pending"
        return and_(cls.proposed_at < end,
                    or_(cls.status == "pending", cls.decided_at >= end))

    @classmethod
    def awaits(cls, role: str, workflows, end=None):
        """`awaited_roles` in SQL: a pending proposal that awaits `role`, over the loaded
        `workflows` (the statement joins the proposal's case); at the instant `end` if given
        (a report's period), else now."""
        listed = [and_(Case.workflow == w.name, Case.workflow_version == w.version,
                       cls.trigger.in_([t.trigger for t in w.transitions if role in t.signoffs]))
                  for w in workflows if role in w.signing_roles]
        signed = exists(select(SignOff.id).where(
            SignOff.proposal_id == cls.id, SignOff.role == role,
            *([SignOff.signed_at < end] if end is not None else [])))
        return and_(cls.waiting(end), or_(false(), *listed), ~signed)


class SignOff(db.Model):
    __tablename__ = "signoffs"
    __table_args__ = (
        UniqueConstraint("proposal_id", "role"),
        UniqueConstraint("proposal_id", "user_id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    proposal: Mapped[Proposal] = relationship(back_populates="signoffs")
    user = relationship("User", lazy="joined")
