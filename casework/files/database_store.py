"""Files in the database (FILE_STORAGE = "database"): their bytes in `file_chunks`, 1 MB at a
time, written in the same transaction as their row, so that every app server on the database
serves them and no orphan is ever left (a rollback or a crash takes the chunks with the row).

A download reads the first chunk in the request's own transaction (a missing file is then
known before anything is logged or sent), and each further chunk as the client takes it, each
in a short session of its own: a slow phone downloading 10 MB for minutes holds no database
connection meanwhile. A stored file never changes, so the chunks read apart are one file.
"""
from __future__ import annotations

import io

from sqlalchemy import delete, distinct, func, select
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import FileChunk
from ..models.file_chunk import CHUNK_BYTES


def write(session: Session, name: str, data: bytes) -> None:
    """Store `data` under `name`, one INSERT per chunk: no parameter is larger than a chunk.
    On the session's connection, so in its transaction, without flushing the row being built."""
    connection = session.connection()
    for seq, start in enumerate(range(0, max(len(data), 1), CHUNK_BYTES)):
        connection.execute(FileChunk.__table__.insert().values(
            stored_name=name, seq=seq, data=data[start:start + CHUNK_BYTES]))


def _chunk(session, name: str, seq: int) -> bytes | None:
    return session.scalar(select(FileChunk.data).where(FileChunk.stored_name == name,
                                                       FileChunk.seq == seq))


class ChunkReader(io.RawIOBase):
    """A stored file read one chunk at a time, as a binary file (for send_file)."""

    def __init__(self, bind, name: str, first: bytes):
        super().__init__()
        self._bind, self._name = bind, name
        self._chunk, self._at, self._next, self._ended = memoryview(first), 0, 1, False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while self._at == len(self._chunk):
            if self._ended:
                return 0
            with Session(bind=self._bind) as session:
                chunk = _chunk(session, self._name, self._next)
            if chunk is None:
                self._ended = True
                return 0
            self._chunk, self._at, self._next = memoryview(chunk), 0, self._next + 1
        count = min(len(buffer), len(self._chunk) - self._at)
        buffer[:count] = self._chunk[self._at:self._at + count]
        self._at += count
        return count


def open_file(name: str) -> ChunkReader:
    """The stored file, open for reading; FileNotFoundError when it is not there."""
    first = _chunk(db.session, name, 0)
    if first is None:
        raise FileNotFoundError(name)
    return ChunkReader(db.engine, name, first)


def names() -> set[str]:
    return set(db.session.scalars(select(FileChunk.stored_name).distinct()))


def remove_orphans(known, dry_run: bool) -> int:
    """Remove the chunks of files that no row names (`known`, a SELECT of stored names), in
    one statement: an upload committing meanwhile is either seen whole or not at all. Only a
    row deleted by hand leaves such chunks."""
    orphan = FileChunk.stored_name.not_in(known)
    found = db.session.scalar(select(func.count(distinct(FileChunk.stored_name)))
                              .where(orphan))
    if found and not dry_run:
        db.session.execute(delete(FileChunk).where(orphan))
    return found
