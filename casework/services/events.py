"""Writing the append-only event log; every service records what it did here."""
from flask import has_request_context, request

from ..extensions import db
from ..models import Event


def record(kind: str, /, *, actor=None, case=None, **data) -> Event:
    """Add one event row (flushed with the caller's unit of work, never committed here).

    Inside a request the event keeps the client's address (`address` in its data): the peer
    of the connection, or the one a configured number of trusted proxies vouch for (see
    TRUSTED_PROXIES in config.py). A CLI command has none.
    """
    if has_request_context() and "address" not in data:
        data["address"] = request.remote_addr
    # The version the case stood at when this happened (0: not yet written); what changed
    # since a version a form carried is what was recorded at it or later.
    event = Event(kind=kind, actor_id=getattr(actor, "id", None), data=data,
                  case_version=None if case is None else case.version or 0)
    if case is not None:
        event.case = case
    db.session.add(event)
    return event
