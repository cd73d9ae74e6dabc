"""Writing the append-only event log; every service records what it did here."""
from flask import has_request_context, request

from ..database import write_intent
from ..extensions import db
from ..models import Event
from ..unit_of_work import apart


def record(kind: str, /, *, actor=None, case=None, case_id: int | None = None,
           **data) -> Event:
    """Add one event row (flushed with the caller's unit of work, never committed here).

    Inside a request the event keeps the client's address (`address` in its data): the peer
    of the connection, or the one a configured number of trusted proxies vouch for (see
    TRUSTED_PROXIES in config.py). A CLI command has none. `case_id` names a case that was not
    loaded (one of another commune, refused).

    A read (a GET: a page seen, a file exported or downloaded, an access refused) began its
    transaction as a reader, and on SQLite a reader cannot write once someone else has written
    meanwhile (the request would end in "database is locked"): its event is written apart, as a
    writer, and committed at once. What the request loaded is expired by it, so a read records
    once it has read what it shows.
    """
    if has_request_context() and "address" not in data:
        data["address"] = request.remote_addr
    # The version the case stood at when this happened (0: not yet written); what changed
    # since a version a form carried is what was recorded at it or later.
    event = Event(kind=kind, actor_id=getattr(actor, "id", None), data=data,
                  case_version=None if case is None else case.version or 0)
    if case is not None:
        event.case = case
    elif case_id is not None:
        event.case_id = case_id
    if has_request_context() and not write_intent.get():
        apart(lambda: db.session.add(event))
    else:
        db.session.add(event)
    return event
