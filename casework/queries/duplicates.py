"""Look-alike reports: the cases reported in the same commune in the last hours that seem to be
the same conflict, asked about before a second case is opened (the intake form, the API, the
SMS and KoboToolbox intake all report through services/cases.py, which asks here).

A report looks like an earlier one when, in the same commune, it names the same village and the
same parties, or tells the same facts; names, villages and facts are compared folded (no accent,
no case, single spaces: casework/textsearch.py), so that "Famille  Traoré" is "famille traore".
"""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..access import UNMERGED
from ..clock import utcnow
from ..extensions import db
from ..models import Case
from ..textsearch import fold


def _same_parties(case: Case, names: frozenset[str]) -> bool:
    return bool(names) and frozenset(fold(p.name) for p in case.parties) == names


def look_alike(commune_id: int, village: str, party_names, description: str) -> Case | None:
    """The latest case of the commune reported within DUPLICATE_WINDOW_HOURS that looks like
    this report, or None."""
    since = utcnow() - timedelta(hours=current_app.config["DUPLICATE_WINDOW_HOURS"])
    recent = db.session.scalars(
        select(Case).where(Case.commune_id == commune_id, Case.created_at >= since, UNMERGED)
        .options(selectinload(Case.parties)).order_by(Case.created_at.desc(), Case.id.desc()))
    place, facts = fold(village), fold(description)
    names = frozenset(filter(None, map(fold, party_names)))
    for case in recent:
        if (facts and fold(case.description) == facts) or \
                (place == fold(case.village) and _same_parties(case, names)):
            return case
    return None
