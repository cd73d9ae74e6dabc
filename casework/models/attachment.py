"""A file attached to a case (a signed agreement, a photo of the site, a COFO report).

The bytes live under a random stored name, in a directory outside `static/` or in the
database's `file_chunks` (casework/files/store.py); the name people read is the sanitised
original one, and the type is the one read from the content.
"""

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from .base import NEVER_REUSE_IDS
from .stored_file import StoredFile


class Attachment(StoredFile, db.Model):
    __tablename__ = "attachments"
    __table_args__ = (NEVER_REUSE_IDS,)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)

    case = relationship("Case")

    def __repr__(self) -> str:
        return f"<Attachment {self.id} {self.content_type} case={self.case_id}>"
