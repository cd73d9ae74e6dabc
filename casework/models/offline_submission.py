"""A form sent again from a phone's offline queue: its key, whose it is, and where it led, so
that an item the phone sends twice (the network dropped before the answer came) is done once."""
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
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
