"""The columns every uploaded file keeps (a case attachment, an activity file).

The bytes live under a random stored name, in a directory outside `static/` or in the
database's `file_chunks` (casework/files/store.py); the name people read is the sanitised
original one, and the type is the one read from the content
(casework/files, services/attachments.store_upload).
"""
from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from ..clock import utcnow
from .base import UTCDateTime


class StoredFile:
    # secrets.token_hex(16): nothing of the person's file name reaches the file system.
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(160))
    description: Mapped[str] = mapped_column(String(160), default="")
    content_type: Mapped[str] = mapped_column(String(32))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @declared_attr
    def uploaded_by(cls):
        return relationship("User", lazy="joined")
