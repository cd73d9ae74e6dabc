"""A Kobo import running in the background: its file, where it stands, and each row's outcome."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime

# queued -> running -> done, or failed (an error stopped it; the rows done stay done).
STATUSES = ("queued", "running", "done", "failed")
OUTCOMES = ("created", "already", "rejected")


class ImportJob(db.Model):
    """One file of submissions to import, by whoever sent it, in chunks of a few dozen rows.

    The table, not a process, is the truth: any app server shows where a job stands, and a
    worker that takes it up again starts after the last chunk committed (`done`). The file
    itself (`data`) is erased once the job ends: it holds names and facts.
    """

    __tablename__ = "import_jobs"
    __table_args__ = (Index("ix_import_jobs_started_by_id_id", "started_by_id", "id"),
                      NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    filename: Mapped[str] = mapped_column(String(120))
    data: Mapped[bytes | None] = mapped_column(LargeBinary)
    dry_run: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[int] = mapped_column(Integer, default=0)
    already: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Written with each chunk: a job "running" whose moment is old was stopped (a restart).
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    started_by = relationship("User")

    @property
    def finished(self) -> bool:
        return self.status in ("done", "failed")


class ImportOutcome(db.Model):
    """What became of one row of the file: a case created, one already imported, or a refusal
    and its reason (in the language of whoever started the import)."""

    __tablename__ = "import_outcomes"
    __table_args__ = (Index("ix_import_outcomes_job_id_row", "job_id", "row"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("import_jobs.id"))
    row: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(16))
    reference: Mapped[str | None] = mapped_column(String(40))
    reason: Mapped[str | None] = mapped_column(Text)
