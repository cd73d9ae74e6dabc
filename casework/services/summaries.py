"""Keeping the dashboard's running totals (models/summary.py) in step with what they count."""
from __future__ import annotations

from sqlalchemy.dialects import postgresql, sqlite

from ..extensions import db
from ..models import PARTICIPANTS, MediationStep, ParticipationMonth


def count_participants(commune_id: int, step: MediationStep, *, sign: int = 1) -> None:
    """Add a step's participants to its commune's month (`sign` -1: take them away, before a
    correction or a move), in one statement that two concurrent writers cannot both miss
    (INSERT ... ON CONFLICT DO UPDATE)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    table = ParticipationMonth.__table__
    values = {name: sign * getattr(step, name) for name in PARTICIPANTS}
    statement = dialect.insert(table).values(
        commune_id=commune_id, month=step.step_date.strftime("%Y-%m"), **values)
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["commune_id", "month"],
        set_={name: table.c[name] + statement.excluded[name] for name in PARTICIPANTS}))
