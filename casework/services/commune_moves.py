"""Moving a case to the commune it belongs to (a KoboToolbox row or an SMS filed under the
wrong one): a coordinator's act, who covers both communes.

The case takes the next number of its new commune's series; its former reference is kept
(casework/models/former_reference.py) and still leads to it. It passes to the new commune's
people: the old commune's mediators and authorities no longer see it, its team (mediators of
the old commune) is cleared for the new coordination to set, a proposal waiting for the old
mayor's or chief's sign-off is cancelled, and the old commune's action plans stop supporting
it. The dashboard counts it, and its steps'
participants, in the new commune.
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete

from .. import access
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case, Commune, FormerReference, action_plan_cases
from . import events, summaries
from .cases import next_sequence
from .progress import cancel_pending, expect_version, touch
from .validation import require_text


def move_case(actor, case: Case, commune: Commune | None, reason: str, *,
              version: int | None = None) -> str:
    """Move the case to `commune`; returns its former reference."""
    if not access.can(actor, "move_commune", case):
        raise NotPermitted(_l("Only a coordinator moves a case to another commune."))
    expect_version(case, version)
    if commune is None or not access.may_move_to(actor, case, commune.id):
        raise InvalidInput(_l("Choose another commune that you coordinate."), field="commune_id")
    reason = require_text(reason, "reason", max_length=2000)
    old = case.commune
    former = FormerReference(reference=case.reference, case_id=case.id, commune_id=old.id,
                             year=case.year, sequence=case.sequence)
    db.session.add(former)
    for step in case.steps:
        summaries.count_participants(old.id, step, sign=-1)
        summaries.count_participants(commune.id, step)
    cancel_pending(actor, case)
    team = sorted(case.team_user_ids)
    case.team.clear()
    sequence = next_sequence(commune, case.year)
    case.commune, case.commune_id, case.sequence = commune, commune.id, sequence
    case.reference = f"{commune.code}-{case.year}-{sequence:04d}"
    for entry in case.state_entries:
        entry.commune_id = commune.id
    # A plan of the old commune's mechanism supports only that commune's cases.
    unlinked = db.session.execute(delete(action_plan_cases)
                                  .where(action_plan_cases.c.case_id == case.id)).rowcount
    touch(case)
    events.record("case.commune_moved", actor=actor, case=case, from_commune=old.code,
                  to_commune=commune.code, former_reference=former.reference,
                  reference=case.reference, team_cleared=team, plans_unlinked=unlinked,
                  reason=reason)
    db.session.flush()
    return former.reference
