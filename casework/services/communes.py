"""Adding and editing communes (administration); each change is an event."""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ..errors import InvalidInput
from ..extensions import db
from ..models import Case, Commune
from . import events
from .accounts import require_admin
from .validation import require_text, require_whole

CODE = re.compile(r"^[A-Z]{2,6}$")


def _check(commune: Commune | None, code: str, name: str) -> tuple[str, str]:
    code = require_text(code, "code").upper()
    if not CODE.match(code):
        raise InvalidInput(_l("The code is 2 to 6 capital letters, such as BGN."), field="code")
    name = require_text(name, "name", max_length=120)
    for column, value, field in ((Commune.code, code, "code"), (Commune.name, name, "name")):
        other = db.session.scalar(select(Commune).where(func.lower(column) == value.lower()))
        if other is not None and other is not commune:
            raise InvalidInput(_l("Another commune already has this value."), field=field)
    return code, name


def create_commune(actor, *, code: str, name: str, cercle: str, region: str,
                   case_target: int = 2) -> Commune:
    require_admin(actor)
    code, name = _check(None, code, name)
    commune = Commune(code=code, name=name,
                      cercle=require_text(cercle, "cercle", max_length=120),
                      region=require_text(region, "region", max_length=120),
                      case_target=require_whole(case_target, "case_target"))
    db.session.add(commune)
    db.session.flush()
    events.record("admin.commune_created", actor=actor, commune_id=commune.id, code=code)
    return commune


def update_commune(actor, commune: Commune, *, code: str, name: str, cercle: str,
                   region: str, case_target: int) -> None:
    require_admin(actor)
    new_code, new_name = _check(commune, code, name)
    if new_code != commune.code and commune_has_cases(commune):
        raise InvalidInput(_l("The code of a commune with cases cannot change: "
                              "it is part of their references."), field="code")
    commune.code, commune.name = new_code, new_name
    commune.cercle = require_text(cercle, "cercle", max_length=120)
    commune.region = require_text(region, "region", max_length=120)
    commune.case_target = require_whole(case_target, "case_target")
    events.record("admin.commune_updated", actor=actor, commune_id=commune.id,
                  case_target=commune.case_target)
    db.session.flush()


def commune_has_cases(commune: Commune) -> bool:
    return db.session.scalar(select(func.count(Case.id)).where(Case.commune_id == commune.id)) > 0
