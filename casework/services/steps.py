"""Logging a mediation step, with its participants counted by sex and age group."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

from .. import access
from ..clock import local_today
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case, MediationStep
from ..vocabulary import STEP_KINDS
from . import events, summaries
from .progress import expect_version, run_automatic, touch
from .validation import require_choice, require_text, require_whole


@dataclass
class StepInput:
    step_date: date
    kind: str
    place: str
    summary: str
    women: int = 0
    men: int = 0
    young_women: int = 0
    young_men: int = 0
    outcome: str = ""
    next_step: str | None = None
    next_step_date: date | None = None


def validate_step(data: StepInput) -> None:
    if data.step_date is None:
        raise InvalidInput(_l("This field is required."), field="step_date")
    if data.step_date > local_today():
        raise InvalidInput(_l("A step cannot be logged before it happens."), field="step_date")
    require_choice(data.kind, STEP_KINDS, "kind")
    require_text(data.place, "place")
    require_text(data.summary, "summary")
    for field in ("women", "men", "young_women", "young_men"):
        require_whole(getattr(data, field), field)
    if data.women + data.men + data.young_women + data.young_men == 0:
        raise InvalidInput(_l("Count the participants of the step."), field="women")
    if data.next_step_date and data.next_step_date < data.step_date:
        raise InvalidInput(_l("The next step cannot come before this one."),
                           field="next_step_date")


def log_step(actor, case: Case, data: StepInput, *, version: int | None = None) -> MediationStep:
    if not access.can(actor, "log_step", case):
        raise NotPermitted(_l("Only the case's team can log a step, while it is in mediation."))
    expect_version(case, version)
    validate_step(data)
    step = MediationStep(
        case=case, step_date=data.step_date, kind=data.kind, place=data.place.strip(),
        women=data.women, men=data.men, young_women=data.young_women, young_men=data.young_men,
        summary=data.summary.strip(), outcome=(data.outcome or "").strip(),
        next_step=(data.next_step or "").strip() or None, next_step_date=data.next_step_date,
        created_by_id=actor.id)
    db.session.add(step)
    touch(case)
    db.session.flush()
    summaries.count_participants(case.commune_id, step)
    events.record("case.step_logged", actor=actor, case=case, step_id=step.id, kind=step.kind,
                  women=step.women, men=step.men, young_women=step.young_women,
                  young_men=step.young_men)
    run_automatic(actor, case)
    return step
