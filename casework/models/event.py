"""The append-only event log: every state change, sign-off, edit, denied access and login."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..clock import utcnow
from ..extensions import db
from .base import NEVER_REUSE_IDS, UTCDateTime


class AppendOnlyError(RuntimeError):
    """Raised when code tries to change or delete an event."""


class Event(db.Model):
    __tablename__ = "events"
    # Sign-in throttling reads the recent failures of one kind: (kind, created_at) serves it.
    __table_args__ = (Index("ix_events_kind_created_at", "kind", "created_at"), NEVER_REUSE_IDS)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(64))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    # The case's version when the event was written (the version its change was made on):
    # what happened since a form was opened on version v is the events at v or later. None for
    # an event without a case, the report itself, and events written before this column.
    case_version: Mapped[int | None] = mapped_column(Integer)

    actor = relationship("User", lazy="joined")
    case = relationship("Case")

    def __repr__(self) -> str:
        return f"<Event {self.kind} case={self.case_id}>"


@event.listens_for(Event, "before_update")
def _refuse_update(_mapper, _connection, target):
    raise AppendOnlyError(f"event {target.id} cannot be changed: the log is append-only")


@event.listens_for(Event, "before_delete")
def _refuse_delete(_mapper, _connection, target):
    raise AppendOnlyError(f"event {target.id} cannot be deleted: the log is append-only")
