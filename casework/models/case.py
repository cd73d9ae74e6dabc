"""A conflict case, its workflow position, and its reconciliation team."""
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
)
from sqlalchemy import text as sql
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..textsearch import case_text
from .base import NEVER_REUSE_IDS, UTCDateTime


class Case(db.Model):
    __tablename__ = "cases"
    __table_args__ = (
        UniqueConstraint("commune_id", "year", "sequence"),
        # The case list: newest first, in one commune or in all, read by keyset from the
        # (created_at, id) where a page starts (queries/case_list.py).
        Index("ix_cases_commune_id_created_at_id", "commune_id", "created_at", "id"),
        Index("ix_cases_created_at_id", "created_at", "id"),
        # Cases in a state, newest first; the dashboard's count per month and state.
        Index("ix_cases_status_created_at_id", "status", "created_at", "id"),
        # The list of every commune filtered by state and type: its page and its count read
        # this index alone (the cases merged into another are not in it).
        Index("ix_cases_listed_by_status_type", "status", "conflict_type", "created_at", "id",
              sqlite_where=sql("merged_into_id IS NULL"),
              postgresql_where=sql("merged_into_id IS NULL")),
        # The dashboard's counts by commune, state, type and month, read from the index alone.
        Index("ix_cases_figures", "commune_id", "status", "conflict_type", "created_at",
              "status_changed_at", "workflow", "workflow_version"),
        # The cases merged into another: left out of every list and figure.
        Index("ix_cases_merged_into_id", "merged_into_id"),
        # The cases whose state's time limit passed this month (queries/kept_figures.py).
        Index("ix_cases_status_status_changed_at", "status", "status_changed_at"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)

    village: Mapped[str] = mapped_column(String(160))
    conflict_type: Mapped[str] = mapped_column(String(32), index=True)
    facts_date: Mapped[date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text)
    violence: Mapped[bool] = mapped_column(Boolean, default=False)
    injuries: Mapped[int] = mapped_column(Integer, default=0)
    deaths: Mapped[int] = mapped_column(Integer, default=0)
    urgency: Mapped[str] = mapped_column(String(16), default="normal")
    reporter_name: Mapped[str] = mapped_column(String(160))
    reporter_contact: Mapped[str | None] = mapped_column(String(80))
    channel: Mapped[str] = mapped_column(String(32))
    confidential: Mapped[bool] = mapped_column(Boolean, default=False)

    workflow: Mapped[str] = mapped_column(String(64))
    workflow_version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(64))
    status_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # What the last side exit said: the referral target, the reason a case is not admissible.
    referral_target: Mapped[str | None] = mapped_column(String(32))
    decision_note: Mapped[str | None] = mapped_column(Text)
    # A duplicate report merged by a coordinator into the case it repeats (services/merges.py):
    # it stays as the record of what was reported, but is no longer a case of its own. Its
    # reference leads to that case, and no list, count or figure shows it.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))

    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    commune = relationship("Commune", lazy="joined")
    created_by = relationship("User", foreign_keys=[created_by_id])
    team: Mapped[list["TeamMember"]] = relationship(
        back_populates="case", order_by="TeamMember.id", cascade="all, delete-orphan"
    )
    parties = relationship("Party", back_populates="case", order_by="Party.position",
                           cascade="all, delete-orphan")
    steps = relationship("MediationStep", back_populates="case",
                         order_by="(MediationStep.step_date, MediationStep.id)")
    proposals = relationship("Proposal", back_populates="case", order_by="Proposal.id")
    follow_ups = relationship("FollowUp", back_populates="case",
                              order_by="(FollowUp.visit_date, FollowUp.id)")
    # The COFO's conciliations of a land case (models/cofo.py), the latest last.
    cofo_conciliations = relationship("CofoConciliation", back_populates="case",
                                      order_by="CofoConciliation.id")
    state_entries = relationship("CaseStateEntry", back_populates="case",
                                 cascade="all, delete-orphan")
    search = relationship("CaseSearch", uselist=False, cascade="all, delete-orphan")

    @property
    def team_user_ids(self) -> set[int]:
        return {member.user_id for member in self.team}

    @property
    def pending_proposal(self):
        return next((p for p in self.proposals if p.status == "pending"), None)

    @property
    def current_agreement(self):
        """The last approved proposal: the agreement that follow-up visits check."""
        approved = [p for p in self.proposals if p.status == "approved"]
        return approved[-1] if approved else None

    @property
    def search_text(self) -> str:
        return self.search.text if self.search is not None else ""

    def refresh_search_text(self) -> None:
        text = case_text(self.reference, self.confidential, self.village, self.description,
                         (p.name for p in self.parties))
        if self.search is None:
            self.search = CaseSearch(text=text)
        else:
            self.search.text = text

    def days_in_state(self, now: datetime | None = None) -> int:
        return ((now or utcnow()) - self.status_changed_at).days

    def __repr__(self) -> str:
        return f"<Case {self.reference} {self.status}>"


_SEARCHED = ("reference", "confidential", "village", "description", "parties")


def _search_text_stale(case: "Case") -> bool:
    state = inspect(case)
    return state.pending or any(state.attrs[name].history.has_changes() for name in _SEARCHED)


@event.listens_for(Session, "before_flush")
def _refresh_search_texts(session, _context, _instances):
    """Whatever changed a case or one of its parties, the search finds it by what it says now."""
    from .party import Party
    touched = (*session.new, *session.dirty)
    changed = {obj for obj in touched if isinstance(obj, Case) and _search_text_stale(obj)}
    changed |= {obj.case for obj in touched if isinstance(obj, Party) and obj.case is not None}
    for case in changed:
        case.refresh_search_text()


class CaseSearch(db.Model):
    """What the search box matches for one case: its folded words (casework/textsearch.py),
    kept up to date on flush. A narrow table of its own, so that a search across every case
    reads these few bytes per case, not the cases."""

    __tablename__ = "case_search"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class TeamMember(db.Model):
    """A mediator assigned to a case's reconciliation team."""

    __tablename__ = "team_members"
    __table_args__ = (
        UniqueConstraint("case_id", "user_id"),
        # A person's cases; the cases whose team includes a woman, from the index alone.
        Index("ix_team_members_user_id_case_id", "user_id", "case_id"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    assigned_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="team")
    user = relationship("User", foreign_keys=[user_id], lazy="joined")


class CaseStateEntry(db.Model):
    """When a case first entered each state it reached: what the dashboard counts by period.

    Written in the same transaction as the move (services/progress.py), so it never differs
    from the event log; it only saves reading a million events to draw a figure.
    """

    __tablename__ = "case_state_entries"
    __table_args__ = (UniqueConstraint("case_id", "state"),
                      # The dashboard's counts by state, commune and period, from the index
                      # alone; and the median time to reach a state, without a sort.
                      Index("ix_case_state_entries_figures", "state", "commune_id",
                            "entered_at"),
                      Index("ix_case_state_entries_state_days", "state", "days_after_report"),
                      NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"))
    # The case's commune (changed with it when a coordinator moves it) and how long after the
    # report the state was reached: copied here so that a figure by commune or a median time
    # to resolution is read from this table alone.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    days_after_report: Mapped[float] = mapped_column(Float)
    state: Mapped[str] = mapped_column(String(64))
    entered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship(back_populates="state_entries")
