"""A file attached to a case (a signed agreement, a photo of the site, a COFO report).

The bytes live outside the database and outside `static/`, under a random stored name; the
name people read is the sanitised original one, and the type is the one read from the content.
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime, utcnow


class Attachment(db.Model):
    __tablename__ = "attachments"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    # secrets.token_hex(16): nothing of the person's file name reaches the file system.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(String(160), default="")
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case = relationship("Case")
    uploaded_by = relationship("User", lazy="joined")

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.content_type} case={self.case_id}>"
