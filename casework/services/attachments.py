"""Attaching a file to a case, and handing it out: who may, what is accepted, what is logged.

The checks are here, not in the view: the size (read with a limit, never in full), the type
(from the content), the name (sanitised). The event log gets the id, type and size, never the
file's name, which may carry a party's name.
"""
from __future__ import annotations

import hashlib
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import access
from ..errors import InvalidInput, NotPermitted, TooLarge
from ..extensions import db
from ..files import content, names, store
from ..models import Attachment, Case
from . import events

MAX_BYTES = 10 * 1024 * 1024
# A multipart body carries the file and a few small fields: the request may be this much larger.
FORM_OVERHEAD = 64 * 1024
MAX_REQUEST_BYTES = MAX_BYTES + FORM_OVERHEAD
MAX_DESCRIPTION = 160
TOO_LARGE = _l("The file is too large: %(limit)d MB at most.", limit=MAX_BYTES // (1024 * 1024))


def _read(stream: BinaryIO) -> bytes:
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise TooLarge(TOO_LARGE, field="file")
    return data


def store_upload(row, actor, stream: BinaryIO | None, filename: str | None, description: str):
    """Fill `row` (a case attachment, an activity file) from an uploaded file and store its
    bytes: the type read from the content, images re-encoded, the name sanitised, the bytes
    under a random name; the row and the file stand or fall together."""
    description = " ".join((description or "").split())
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_l("At most %(n)d characters.", n=MAX_DESCRIPTION),
                           field="description")
    if stream is None:
        raise InvalidInput(_l("Choose a file."), field="file")
    cleaned = content.clean(_read(stream))
    row.display_name = names.display_name(filename, cleaned.content_type)
    row.description, row.content_type = description, cleaned.content_type
    row.size, row.sha256 = len(cleaned.data), hashlib.sha256(cleaned.data).hexdigest()
    row.uploaded_by_id = actor.id
    row.stored_name = store.write(db.session(), cleaned.data)
    db.session.add(row)
    db.session.flush()
    return row


def add_attachment(actor, case: Case, stream: BinaryIO, filename: str | None,
                   description: str = "") -> Attachment:
    """Check, clean and store one uploaded file; the row and the file stand or fall together."""
    if not access.can(actor, "attach", case):
        raise NotPermitted(_l("Only the case's team and its coordinators can add a file, "
                              "while the case is open."))
    attachment = store_upload(Attachment(case=case), actor, stream, filename, description)
    events.record("case.attachment_added", actor=actor, case=case, attachment_id=attachment.id,
                  content_type=attachment.content_type, size=attachment.size)
    return attachment


def attachments_of(case: Case) -> list[Attachment]:
    return list(db.session.scalars(select(Attachment).where(Attachment.case_id == case.id)
                                   .order_by(Attachment.created_at, Attachment.id)))


def record_download(actor, attachment: Attachment) -> None:
    """Log that `actor` takes the file; refused to anyone who may not see the case's files."""
    if not access.can(actor, "see_attachments", attachment.case):
        raise NotPermitted(_l("You cannot see the files of this case."))
    events.record("case.attachment_downloaded", actor=actor, case=attachment.case,
                  attachment_id=attachment.id, content_type=attachment.content_type)
