"""The programme's partner organisations, kept by the administrators: each activity and each
case may be credited to one (the programme report counts them per partner)."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..errors import InvalidInput
from ..extensions import db
from ..models import Partner
from . import events
from .accounts import require_admin
from .validation import require_text

CODE = re.compile(r"[A-Z][A-Z0-9-]{1,15}")


def create_partner(actor, *, code: str, name: str) -> Partner:
    """A partner by its short code (AMSS, ARGA...) and its full name."""
    require_admin(actor)
    code = (code or "").strip().upper()
    if not CODE.fullmatch(code):
        raise InvalidInput(_l("Write the code in capital letters (2 to 16)."), field="code")
    if db.session.scalar(select(func.count()).select_from(Partner).where(Partner.code == code)):
        raise InvalidInput(_l("This code is already used."), field="code")
    partner = Partner(code=code, name=require_text(name, "name", max_length=160))
    db.session.add(partner)
    db.session.flush()
    events.record("admin.partner_created", actor=actor, partner_id=partner.id, code=code)
    return partner
