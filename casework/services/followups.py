"""Recording a follow-up visit; a broken agreement sends the case back to mediation."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from .. import access
from ..clock import local, local_today
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..i18n import short_date
from ..models import Case, FollowUp
from ..queries.milestones import milestones, open_milestones
from ..vocabulary import FOLLOW_UP_OUTCOMES
from . import events
from .progress import expect_version, run_automatic, touch
from .validation import require_choice


@dataclass
class FollowUpInput:
    visit_date: date
    outcome: str
    milestone_days: int | None = None
    notes: str = ""


def record_follow_up(actor, case: Case, data: FollowUpInput, *,
                     version: int | None = None) -> FollowUp:
    if not access.can(actor, "record_follow_up", case):
        raise NotPermitted(_l("Only the case's team can record a follow-up visit now."))
    expect_version(case, version)
    agreement = case.current_agreement
    require_choice(data.outcome, FOLLOW_UP_OUTCOMES, "outcome")
    if data.milestone_days is not None and data.milestone_days not in open_milestones(case):
        raise InvalidInput(_l("This planned visit is already recorded."), field="milestone_days")
    if data.visit_date is None:
        raise InvalidInput(_l("This field is required."), field="visit_date")
    if data.visit_date > local_today():
        raise InvalidInput(_l("A visit cannot be recorded before it happens."),
                           field="visit_date")
    if data.visit_date < local(agreement.decided_at).date():
        raise InvalidInput(_l("A follow-up visit comes after the agreement."), field="visit_date")
    planned = next((m for m in milestones(case) if m.days == data.milestone_days), None)
    if planned is not None and data.visit_date < planned.opens:
        raise InvalidInput(_l(
            "The %(days)d-day visit is due on %(due)s: it can be recorded from %(opens)s. An "
            "earlier visit is an additional visit.", days=planned.days,
            due=short_date(planned.due), opens=short_date(planned.opens)), field="visit_date")
    notes = (data.notes or "").strip()
    if data.outcome != "respected" and not notes:
        raise InvalidInput(_l("Say what was found on the ground."), field="notes")
    visit = FollowUp(case=case, proposal_id=agreement.id, milestone_days=data.milestone_days,
                     visit_date=data.visit_date, outcome=data.outcome, notes=notes,
                     created_by_id=actor.id)
    db.session.add(visit)
    touch(case)
    db.session.flush()
    events.record("case.follow_up_recorded", actor=actor, case=case, follow_up_id=visit.id,
                  milestone_days=data.milestone_days, outcome=data.outcome)
    run_automatic(actor, case)
    return visit
