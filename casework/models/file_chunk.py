"""The bytes of an uploaded file, when files live in the database (FILE_STORAGE = "database").

A file is cut into chunks of at most CHUNK_BYTES, numbered from 0, under the random stored name
its row (a case attachment, an activity file) carries: no statement ever carries a whole 10 MB
file, and a download reads one chunk at a time. The chunks are written in the same transaction
as their row, so a file and its row stand or fall together: no orphan can be left by a crash.
There is no foreign key, since two tables name stored files; the name is unique in each.
"""
from sqlalchemy import Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db

CHUNK_BYTES = 1024 * 1024


class FileChunk(db.Model):
    __tablename__ = "file_chunks"

    stored_name: Mapped[str] = mapped_column(String(64), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    data: Mapped[bytes] = mapped_column(LargeBinary)

    def __repr__(self) -> str:
        return f"<FileChunk {self.stored_name} #{self.seq}>"
