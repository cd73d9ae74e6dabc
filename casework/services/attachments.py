"""Attaching a file to a case, and handing it out: who may, what is accepted, what is logged.

The checks are here, not in the view: the size (read with a limit, never in full), the type
(from the content), the name (sanitised), all before any row is written. The event log gets
the id, type and size, never the file's name, which may carry a party's name.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import lazy_gettext as _l

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


@dataclass(frozen=True)
class CheckedFile:
    """An uploaded file once read and checked, before anything is written: its cleaned bytes
    (images re-encoded), its type read from them, its sanitised name and its description."""
    content_type: str
    data: bytes
    display_name: str
    description: str


def check_upload(stream: BinaryIO | None, filename: str | None,
                 description: str) -> CheckedFile:
    """Read (with a limit, never in full) and check an uploaded file; touches no database, so
    that the seconds a photo takes to decode hold no transaction (views/uploads.py)."""
    description = " ".join((description or "").split())
    if len(description) > MAX_DESCRIPTION:
        raise InvalidInput(_l("At most %(n)d characters.", n=MAX_DESCRIPTION),
                           field="description")
    if stream is None:
        raise InvalidInput(_l("Choose a file."), field="file")
    cleaned = content.clean(_read(stream))
    return CheckedFile(cleaned.content_type, cleaned.data,
                       names.display_name(filename, cleaned.content_type), description)


def store_upload(row, actor, upload: CheckedFile):
    """Fill `row` (a case attachment, an activity file) from a checked file and store its bytes
    under a random name; the row and the file stand or fall together."""
    row.display_name, row.description = upload.display_name, upload.description
    row.content_type, row.size = upload.content_type, len(upload.data)
    row.sha256 = hashlib.sha256(upload.data).hexdigest()
    row.uploaded_by_id = actor.id
    row.stored_name = store.write(db.session(), upload.data)
    db.session.add(row)
    db.session.flush()
    return row


def require_attach(actor, case: Case) -> None:
    if not access.can(actor, "attach", case):
        raise NotPermitted(_l("Only the case's team and its coordinators can add a file, "
                              "while the case is open."))


def add_attachment(actor, case: Case, upload: CheckedFile) -> Attachment:
    """Store one checked file on the case; the row and the file stand or fall together."""
    require_attach(actor, case)
    return store_checked(actor, case, upload)


def store_checked(actor, case: Case, upload: CheckedFile) -> Attachment:
    """Store one checked file on the case for `actor`, whose right to was asked by the
    caller (attaching; entering the COFO's record with its PV, services/cofo.py)."""
    attachment = store_upload(Attachment(case=case), actor, upload)
    events.record("case.attachment_added", actor=actor, case=case, attachment_id=attachment.id,
                  content_type=attachment.content_type, size=attachment.size)
    return attachment


def record_download(actor, attachment: Attachment) -> None:
    """Log that `actor` takes the file; refused to anyone who may not see the case's files."""
    if not access.can(actor, "see_attachments", attachment.case):
        raise NotPermitted(_l("You cannot see the files of this case."))
    events.record("case.attachment_downloaded", actor=actor, case=attachment.case,
                  attachment_id=attachment.id, content_type=attachment.content_type)
