"""Correcting what was recorded: a case's facts, village, type, date and parties, a mediation
step, a follow-up visit. Each correction gives its reason, checks the version the form was
opened on, and leaves an event naming the fields it changed.

The events never hold a name or a text typed about the parties: the history of a
confidential case shows to people who may not read them. Only a non-confidential case's
village, type and date keep their former and new values there.
"""
from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date

from flask_babel import lazy_gettext as _l

from .. import access
from ..clock import local, local_today
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case, FollowUp, MediationStep, Party
from ..vocabulary import CONFLICT_TYPES, FOLLOW_UP_OUTCOMES, GBV
from . import events, summaries
from .cases import PartyInput, validate_facts_date, validate_parties
from .progress import expect_version, touch
from .steps import StepInput, validate_step
from .validation import require_choice, require_text

# Values an event may keep in the clear, on a case that is not confidential (and was not).
PLAIN_FIELDS = ("village", "conflict_type", "facts_date")
PARTY_FIELDS = ("name", "sex", "age_group", "kind", "people_count")


@dataclass
class CaseCorrection:
    village: str
    conflict_type: str
    description: str
    parties: list[PartyInput]
    reason: str
    facts_date: date | None = None


@dataclass
class FollowUpCorrection:
    visit_date: date
    notes: str
    reason: str
    outcome: str | None = None  # None: as recorded


# What a visit found decided where the case went (a broken agreement sent it back to mediation,
# kept ones let the follow-up complete): a correction across that line would leave the case
# where its history says it should not be, so it is refused with what to do instead.
TO_BROKEN = _l("A visit that finds the agreement broken sends the case back to mediation: "
               "record a new follow-up visit with that finding instead of correcting this one "
               "(the history keeps both).")
FROM_BROKEN = _l("This visit found the agreement broken and sent the case back to mediation, "
                 "as its history shows: it cannot be corrected into a kept agreement. If the "
                 "agreement does hold, the team logs it as a mediation step and proposes the "
                 "agreement again for signature.")


REFUSED = _l("Only the case's team and its coordinators correct it; once it has ended, only "
             "its coordinators.")


def _refuse(actor, case: Case) -> None:
    if not access.can(actor, "correct", case):
        raise NotPermitted(REFUSED)


def _reason(text) -> str:
    return require_text(text, "reason", max_length=2000)


def _party_rows(parties) -> list[tuple]:
    return [tuple(getattr(p, name) for name in PARTY_FIELDS) for p in parties]


def correct_case(actor, case: Case, data: CaseCorrection, *,
                 version: int | None = None) -> list[str]:
    """Correct the case's record; returns the fields changed."""
    _refuse(actor, case)
    expect_version(case, version)
    reason = _reason(data.reason)
    village = require_text(data.village, "village", max_length=160)
    require_choice(data.conflict_type, CONFLICT_TYPES, "conflict_type")
    description = require_text(data.description, "description")
    validate_facts_date(data.facts_date)
    validate_parties(data.parties)
    if case.confidential and data.conflict_type != GBV \
            and not access.can(actor, "lift_confidentiality", case):
        raise InvalidInput(_l("Only the coordination lifts the confidentiality of a case of "
                              "gender-based violence."), field="conflict_type")
    wanted = {"village": village, "conflict_type": data.conflict_type,
              "facts_date": data.facts_date, "description": description}
    changed = [name for name, value in wanted.items() if getattr(case, name) != value]
    parties = [PartyInput(name=p.name.strip(), sex=p.sex, age_group=p.age_group, kind=p.kind,
                          people_count=p.people_count) for p in data.parties]
    if _party_rows(case.parties) != _party_rows(parties):
        changed.append("parties")
    if not changed:
        raise InvalidInput(_l("Nothing differs from what is recorded: change a field, or "
                              "go back to the case."))
    in_the_clear = not case.confidential and data.conflict_type != GBV
    values = {name: [_plain(getattr(case, name)), _plain(wanted[name])]
              for name in changed if name in PLAIN_FIELDS and in_the_clear}
    for name, value in wanted.items():
        setattr(case, name, value)
    case.confidential = data.conflict_type == GBV
    if "parties" in changed:
        _replace_parties(case, parties)
    touch(case)
    events.record("case.corrected", actor=actor, case=case, fields=changed, values=values,
                  parties=len(parties), reason=reason)
    db.session.flush()
    return changed


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def _replace_parties(case: Case, parties: list[PartyInput]) -> None:
    """The rows in place, in order (a party keeps its id), extra ones added or removed."""
    for index, wanted in enumerate(parties):
        if index < len(case.parties):
            party = case.parties[index]
        else:
            party = Party(position=index)
            case.parties.append(party)
        for name in PARTY_FIELDS:
            setattr(party, name, getattr(wanted, name))
    del case.parties[len(parties):]


def correct_step(actor, case: Case, step: MediationStep, data: StepInput, reason: str, *,
                 version: int | None = None) -> list[str]:
    _refuse(actor, case)
    expect_version(case, version)
    reason = _reason(reason)
    validate_step(data)
    wanted = {f.name: getattr(data, f.name) for f in fields(StepInput)}
    for name in ("place", "summary", "outcome", "next_step"):
        wanted[name] = (wanted[name] or "").strip() or (None if name == "next_step" else "")
    changed = [name for name, value in wanted.items() if getattr(step, name) != value]
    if not changed:
        raise InvalidInput(_l("Nothing differs from what is recorded: change a field, or "
                              "go back to the case."))
    summaries.count_participants(case.commune_id, step, sign=-1)
    for name, value in wanted.items():
        setattr(step, name, value)
    summaries.count_participants(case.commune_id, step)
    touch(case)
    events.record("case.step_corrected", actor=actor, case=case, step_id=step.id,
                  fields=changed, reason=reason)
    db.session.flush()
    return changed


def correct_follow_up(actor, case: Case, visit: FollowUp, data: FollowUpCorrection, *,
                      version: int | None = None) -> list[str]:
    """The date, notes and finding of a visit. A finding changes only on the same side of
    "broken" (respected <-> partly respected): across it, the case would stand where its
    trail says it should not (TO_BROKEN, FROM_BROKEN)."""
    _refuse(actor, case)
    expect_version(case, version)
    reason = _reason(data.reason)
    if data.visit_date is None:
        raise InvalidInput(_l("This field is required."), field="visit_date")
    if data.visit_date > local_today():
        raise InvalidInput(_l("A visit cannot be recorded before it happens."),
                           field="visit_date")
    agreement = next(p for p in case.proposals if p.id == visit.proposal_id)
    if data.visit_date < local(agreement.decided_at).date():
        raise InvalidInput(_l("A follow-up visit comes after the agreement."), field="visit_date")
    outcome = data.outcome or visit.outcome
    require_choice(outcome, FOLLOW_UP_OUTCOMES, "outcome")
    if (outcome == "broken") != (visit.outcome == "broken"):
        raise InvalidInput(FROM_BROKEN if visit.outcome == "broken" else TO_BROKEN,
                           field="outcome")
    notes = (data.notes or "").strip()
    if outcome != "respected" and not notes:
        raise InvalidInput(_l("Say what was found on the ground."), field="notes")
    wanted = {"visit_date": data.visit_date, "outcome": outcome, "notes": notes}
    changed = [name for name, value in wanted.items() if getattr(visit, name) != value]
    if not changed:
        raise InvalidInput(_l("Nothing differs from what is recorded: change a field, or "
                              "go back to the case."))
    # A finding is no name: its former and new values stay in the event.
    values = {"outcome": [visit.outcome, outcome]} if "outcome" in changed else {}
    for name, value in wanted.items():
        setattr(visit, name, value)
    touch(case)
    events.record("case.follow_up_corrected", actor=actor, case=case, follow_up_id=visit.id,
                  fields=changed, values=values, reason=reason)
    db.session.flush()
    return changed
