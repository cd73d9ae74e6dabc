"""Running totals kept for the dashboard, written in the same transaction as what they count.

They only save reading every row of a large table for a figure over all time; the live
queries stay the reference, and tests/functional/test_summaries.py checks they agree.
"""
from sqlalchemy import ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .base import NEVER_REUSE_IDS


class ParticipationMonth(db.Model):
    """Participants of the mediation steps of one commune in one month ('2026-11')."""

    __tablename__ = "participation_months"
    __table_args__ = (UniqueConstraint("commune_id", "month"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    month: Mapped[str] = mapped_column(String(7))
    women: Mapped[int] = mapped_column(Integer, default=0)
    men: Mapped[int] = mapped_column(Integer, default=0)
    young_women: Mapped[int] = mapped_column(Integer, default=0)
    young_men: Mapped[int] = mapped_column(Integer, default=0)


class CaseMonth(db.Model):
    """Cases the figures count (queries/checked.py), by commune, month reported ('2026-11'),
    type of conflict and state now: kept by services/summaries.py as the cases change."""

    __tablename__ = "case_months"
    __table_args__ = (UniqueConstraint("commune_id", "month", "conflict_type", "status"),
                      NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    month: Mapped[str] = mapped_column(String(7))
    conflict_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(64))
    cases: Mapped[int] = mapped_column(Integer, default=0)


class PartyMonth(db.Model):
    """Parties of the cases the figures count, by the case's commune and month reported, and
    by the party's sex and age group."""

    __tablename__ = "party_months"
    __table_args__ = (UniqueConstraint("commune_id", "month", "sex", "age_group"),
                      NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    month: Mapped[str] = mapped_column(String(7))
    sex: Mapped[str] = mapped_column(String(1))
    age_group: Mapped[str] = mapped_column(String(16))
    parties: Mapped[int] = mapped_column(Integer, default=0)


# The same counts over every commune, and per commune over every month: what the dashboard of
# a coordinator of every commune, and the open cases of any, read in a few hundred rows
# instead of one row per commune and month.

class CaseTotal(db.Model):
    """Cases the figures count, every commune together, by month reported, type and state."""

    __tablename__ = "case_totals"
    __table_args__ = (UniqueConstraint("month", "conflict_type", "status"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    conflict_type: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(64))
    cases: Mapped[int] = mapped_column(Integer, default=0)


class PartyTotal(db.Model):
    """Parties of the cases the figures count, every commune together, by the month the case
    was reported, sex and age group."""

    __tablename__ = "party_totals"
    __table_args__ = (UniqueConstraint("month", "sex", "age_group"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    sex: Mapped[str] = mapped_column(String(1))
    age_group: Mapped[str] = mapped_column(String(16))
    parties: Mapped[int] = mapped_column(Integer, default=0)


class CaseState(db.Model):
    """Cases the figures count, per commune and state now, whenever reported."""

    __tablename__ = "case_states"
    __table_args__ = (UniqueConstraint("commune_id", "status"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    status: Mapped[str] = mapped_column(String(64))
    cases: Mapped[int] = mapped_column(Integer, default=0)


# What happened to the cases, kept the same way: the states they reached and the agreements
# their follow-up visits checked.

class EntryMonth(db.Model):
    """Entries into a state of the cases the figures count, by the entry's commune (the case's),
    the month it was entered and the state: the plan's progress and the flows of a period."""

    __tablename__ = "entry_months"
    __table_args__ = (
        UniqueConstraint("commune_id", "month", "state"),
        # A commune's entries into some states since a month, read from the index alone: the
        # conflicts each commune took on this year, on every page of its coordinators (the
        # menu's count of the communes below their target, queries/worklist.py).
        Index("ix_entry_months_commune_id_state_month", "commune_id", "state", "month",
              "entries"),
        NEVER_REUSE_IDS,
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    month: Mapped[str] = mapped_column(String(7))
    state: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer, default=0)


class EntryState(db.Model):
    """The same per commune and state over every month: the figures of a dashboard without a
    period."""

    __tablename__ = "entry_states"
    __table_args__ = (UniqueConstraint("commune_id", "state"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    state: Mapped[str] = mapped_column(String(64))
    entries: Mapped[int] = mapped_column(Integer, default=0)


class AgreementCheck(db.Model):
    """Agreements of the cases the figures count checked by a follow-up visit, whenever, per
    case's commune, by what the visits found: `broken` if one found it broken, else `kept`."""

    __tablename__ = "agreement_checks"
    __table_args__ = (UniqueConstraint("commune_id", "found"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    found: Mapped[str] = mapped_column(String(8))
    agreements: Mapped[int] = mapped_column(Integer, default=0)


class TeamMonth(db.Model):
    """Cases the figures count that have a reconciliation team, by commune and month reported,
    by whether the team includes a woman (`found`: `woman`, else `men`)."""

    __tablename__ = "team_months"
    __table_args__ = (UniqueConstraint("commune_id", "month", "found"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    month: Mapped[str] = mapped_column(String(7))
    found: Mapped[str] = mapped_column(String(8))
    cases: Mapped[int] = mapped_column(Integer, default=0)


class TeamTotal(db.Model):
    """The same, every commune together."""

    __tablename__ = "team_totals"
    __table_args__ = (UniqueConstraint("month", "found"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7))
    found: Mapped[str] = mapped_column(String(8))
    cases: Mapped[int] = mapped_column(Integer, default=0)


class LimitMonth(db.Model):
    """Cases the figures count in a state with a time limit, by commune and the month the limit
    passes (or passed) if they stay: those of the months before this one are past it now."""

    __tablename__ = "limit_months"
    __table_args__ = (UniqueConstraint("commune_id", "month"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    month: Mapped[str] = mapped_column(String(7))
    cases: Mapped[int] = mapped_column(Integer, default=0)


class WaitingDay(db.Model):
    """Cases waiting in a source of "Mon travail" that depends on the commune alone (not on the
    person: a coordinator's), by commune, source (queries/worklist.py) and the day they wait
    from: for a time limit, the day it passes (or a sign-off becomes late); for the others
    a fixed day (WAITING_ALWAYS), whatever the clock. The menu adds those up to today."""

    __tablename__ = "waiting_days"
    __table_args__ = (UniqueConstraint("commune_id", "source", "day"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    source: Mapped[str] = mapped_column(String(32))
    day: Mapped[str] = mapped_column(String(10))
    cases: Mapped[int] = mapped_column(Integer, default=0)


class WaitingTotal(db.Model):
    """The same, every commune together: the menu of a coordinator of every commune adds up a
    few rows per day instead of one per commune and day."""

    __tablename__ = "waiting_totals"
    __table_args__ = (UniqueConstraint("source", "day"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    day: Mapped[str] = mapped_column(String(10))
    cases: Mapped[int] = mapped_column(Integer, default=0)


# The day of the sources that wait whatever the day (before any day the clock can show).
WAITING_ALWAYS = "0001-01-01"
