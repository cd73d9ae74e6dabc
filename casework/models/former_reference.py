"""A reference a case was known by before it moved to another commune, or that a duplicate
report merged into it had: kept, so that a paper, a message or a bookmark naming it still leads
to the case (under its present reference)."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


class FormerReference(db.Model):
    __tablename__ = "former_references"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Never given again: the commune's series goes on from its highest number, and this one
    # stays taken (a lookup names one case).
    reference: Mapped[str] = mapped_column(String(24), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # Where it was, and its number in that commune's series of the year.
    commune_id: Mapped[int] = mapped_column(ForeignKey("communes.id"))
    year: Mapped[int] = mapped_column(Integer)
    sequence: Mapped[int] = mapped_column(Integer)
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # The reference of another case, merged into this one (services/merges.py), rather than
    # this case's own before a move: a change sent to it is not passed on (its version is
    # the other case's), only a page read.
    merged: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    case = relationship("Case")
