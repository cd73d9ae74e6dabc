"""An activity a mechanism carried out (training, awareness session, advocacy...): who it
reached by sex and age group, its files, and the appreciation of the communal and
traditional authorities, each recorded by its author."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from ..vocabulary import REACHED, REACHED_ELDERS, REACHED_WOMEN, REACHED_YOUTH
from .base import NEVER_REUSE_IDS, UTCDateTime
from .stored_file import StoredFile


class MechanismActivity(db.Model):
    __tablename__ = "mechanism_activities"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    mechanism_id: Mapped[int] = mapped_column(ForeignKey("mechanisms.id"), index=True)
    # The activity of an action plan this one carries out, if any (once only).
    planned_id: Mapped[int | None] = mapped_column(ForeignKey("planned_activities.id"),
                                                   unique=True)
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(160))
    place: Mapped[str] = mapped_column(String(160))
    facilitators: Mapped[str] = mapped_column(String(300))
    young_women: Mapped[int] = mapped_column(Integer, default=0)
    women: Mapped[int] = mapped_column(Integer, default=0)
    elder_women: Mapped[int] = mapped_column(Integer, default=0)
    young_men: Mapped[int] = mapped_column(Integer, default=0)
    men: Mapped[int] = mapped_column(Integer, default=0)
    elder_men: Mapped[int] = mapped_column(Integer, default=0)
    summary: Mapped[str] = mapped_column(Text)
    # What the programme report counts of it: the partner credited with it, whether it was led
    # by or supported a women's group, and for an advocacy session whether the needs it carried
    # entered the communal development plan (PDSEC: yes, partly, no) and the document saying so.
    women_groups: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    advocacy_outcome: Mapped[str | None] = mapped_column(String(8))
    advocacy_document: Mapped[str | None] = mapped_column(String(300))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Corrected after it is recorded: a form opened before a correction gets a 409.
    version: Mapped[int] = mapped_column(Integer, nullable=False, server_default="1")

    __mapper_args__ = {"version_id_col": version}

    mechanism = relationship("Mechanism")
    planned = relationship("PlannedActivity", back_populates="report")
    created_by = relationship("User")
    files: Mapped[list["ActivityFile"]] = relationship(
        back_populates="activity", order_by="ActivityFile.id")
    appreciations: Mapped[list["Appreciation"]] = relationship(
        back_populates="activity", order_by="Appreciation.id")
    credit: Mapped["ActivityPartner | None"] = relationship(
        back_populates="activity", cascade="all, delete-orphan", uselist=False)

    @property
    def partner_id(self) -> int | None:
        return self.credit.partner_id if self.credit is not None else None

    @partner_id.setter
    def partner_id(self, value: int | None) -> None:
        if value is None:
            self.credit = None
        elif self.credit is None:
            self.credit = ActivityPartner(partner_id=value)
        else:
            self.credit.partner_id = value
    authorities: Mapped[list["AuthorityPresent"]] = relationship(
        back_populates="activity", order_by="AuthorityPresent.id", cascade="all, delete-orphan")

    @property
    def participants(self) -> int:
        return sum(getattr(self, name) for name in REACHED)

    @property
    def female(self) -> int:
        return sum(getattr(self, name) for name in REACHED_WOMEN)

    @property
    def youth(self) -> int:
        return sum(getattr(self, name) for name in REACHED_YOUTH)

    @property
    def elders(self) -> int:
        return sum(getattr(self, name) for name in REACHED_ELDERS)


class ActivityFile(StoredFile, db.Model):
    """A photo, an attendance sheet or a report of an activity; stored like case attachments
    (casework/files: type read from the content, images re-encoded, random stored name)."""

    __tablename__ = "activity_files"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("mechanism_activities.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))

    activity: Mapped[MechanismActivity] = relationship(back_populates="files")


class Appreciation(db.Model):
    """What a mayor or a traditional leader thinks of an activity: one per person and
    activity, recorded and changed by that person only."""

    __tablename__ = "activity_appreciations"
    __table_args__ = (UniqueConstraint("activity_id", "user_id"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("mechanism_activities.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(String(32))
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    __mapper_args__ = {"version_id_col": version}

    activity: Mapped[MechanismActivity] = relationship(back_populates="appreciations")
    user = relationship("User", lazy="joined")


class AuthorityPresent(db.Model):
    """A communal or traditional authority present at an activity: their role and sex, never
    their name (the report counts them)."""

    __tablename__ = "activity_authorities"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("mechanism_activities.id"), index=True)
    role: Mapped[str] = mapped_column(String(32))
    sex: Mapped[str] = mapped_column(String(1))

    activity: Mapped[MechanismActivity] = relationship(back_populates="authorities")


class ActivityPartner(db.Model):
    """The partner credited with an activity (one at most), in a table of its own like a
    case's (models/partner.py)."""

    __tablename__ = "activity_partners"

    activity_id: Mapped[int] = mapped_column(ForeignKey("mechanism_activities.id"),
                                             primary_key=True)
    partner_id: Mapped[int] = mapped_column(ForeignKey("partners.id"), index=True)

    activity: Mapped[MechanismActivity] = relationship(back_populates="credit")
    partner = relationship("Partner", lazy="joined")
