"""What the mechanism blueprints share: a commune's mechanism loaded through access (another
commune's is a 404, with the denial logged), and its rows found under it (else 404)."""
from __future__ import annotations

import re

from flask import abort
from flask_login import current_user
from sqlalchemy import select

from .. import access
from ..extensions import db
from ..lookup import refuse_as_missing
from ..models import Commune, Mechanism
from ..services.mechanisms import mechanism_of

CODE = re.compile(r"^[A-Z]{2,6}$")


def commune_or_404(code: str) -> Commune:
    """The commune if the signed-in user sees its mechanism; 404 otherwise (denial logged)."""
    if not CODE.match(code or ""):
        abort(404)
    commune = db.session.scalar(select(Commune).where(Commune.code == code))
    if commune is None:
        abort(404)
    if not access.can(current_user, "view_mechanism", commune_id=commune.id):
        refuse_as_missing(current_user, commune_id=commune.id, mechanism=code)
    return commune


def mechanism_or_404(code: str) -> Mechanism:
    """The commune's mechanism, once set up; 404 before."""
    mechanism = mechanism_of(commune_or_404(code))
    if mechanism is None:
        abort(404)
    return mechanism


def row_of(model, row_id: int, belongs) -> object:
    """The row `row_id` of `model` if `belongs(row)`; 404 otherwise (a row of another
    mechanism reached by a forged address)."""
    row = db.session.get(model, row_id)
    if row is None or not belongs(row):
        abort(404)
    return row
