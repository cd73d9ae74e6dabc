"""Writing the append-only event log; every service records what it did here."""
from ..extensions import db
from ..models import Event


def record(kind: str, /, *, actor=None, case=None, **data) -> Event:
    """Add one event row (flushed with the caller's unit of work, never committed here)."""
    event = Event(kind=kind, actor_id=getattr(actor, "id", None), data=data)
    if case is not None:
        event.case = case
    db.session.add(event)
    return event
