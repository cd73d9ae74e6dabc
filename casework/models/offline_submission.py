"""A form's one-time key, whose it is, and where it led, so that a form sent twice is done once:
an item of a phone's offline queue sent again (the network dropped before the answer came),
or the intake form sent twice (a double click), which names the case it reported."""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


class OfflineSubmission(db.Model):
    __tablename__ = "offline_submissions"
    __table_args__ = (UniqueConstraint("user_id", "key"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    key: Mapped[str] = mapped_column(String(64))
    # The answer given the first time: a path on this site (the page the form led to).
    location: Mapped[str] = mapped_column(String(300))
    # The case the form reported, for a report: the second sending is told its reference.
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
