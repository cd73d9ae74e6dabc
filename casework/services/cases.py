"""Reporting a conflict: the intake, its readable reference, its parties, its first event."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import access
from ..clock import local_today, utcnow
from ..errors import Conflict, InvalidInput, NotPermitted, PossibleDuplicate
from ..extensions import db
from ..models import Case, Commune, FormerReference, Party
from ..queries import duplicates
from ..vocabulary import AGE_GROUPS, CHANNELS, CONFLICT_TYPES, GBV, PARTY_KINDS, SEXES, URGENCIES
from ..workflow_registry import workflow_for_new_case
from . import events, offline_submissions
from .progress import enter_state
from .validation import require_choice, require_text, require_whole


@dataclass
class PartyInput:
    name: str
    sex: str
    age_group: str
    kind: str = "person"
    people_count: int = 1
    village: str = ""
    role: str = ""


@dataclass
class CaseInput:
    village: str
    conflict_type: str
    description: str
    reporter_name: str
    channel: str
    parties: list[PartyInput]
    facts_date: date | None = None
    violence: bool = False
    injuries: int = 0
    deaths: int = 0
    urgency: str = "normal"
    reporter_contact: str | None = None
    # The one-time token of the intake form: the same form sent twice (a double click, a
    # phone that sends again on a slow network) reports the conflict once.
    submission: str | None = None
    # The person was asked "is it the same conflict as ...?" and answered that it is another.
    another_conflict: bool = False
    # When the conflict was reported in the field, when the intake knows it (a KoboToolbox
    # form filled days before it was imported): the case is dated by it, so that the figures
    # count it in the month it was reported. Now when not given; never later than now.
    reported_at: datetime | None = None


def validate_case(data: CaseInput) -> None:
    require_text(data.village, "village")
    require_choice(data.conflict_type, CONFLICT_TYPES, "conflict_type")
    require_text(data.description, "description")
    require_text(data.reporter_name, "reporter_name")
    require_choice(data.channel, CHANNELS, "channel")
    require_choice(data.urgency, URGENCIES, "urgency")
    require_whole(data.injuries, "injuries")
    require_whole(data.deaths, "deaths")
    validate_facts_date(data.facts_date)
    # An SMS names no party: the case waits for a mediator to check it (casework/intake/sms.py).
    validate_parties(data.parties, required=data.channel != "sms")


def validate_facts_date(facts_date: date | None) -> None:
    if facts_date and facts_date > local_today():
        raise InvalidInput(_l("The date of the facts cannot be in the future."),
                           field="facts_date")


def validate_parties(parties: list[PartyInput], *, required: bool = True) -> None:
    if not parties and required:
        raise InvalidInput(_l("Name at least one party to the conflict."), field="parties")
    for index, party in enumerate(parties):
        prefix = f"parties-{index}-"
        require_text(party.name, prefix + "name")
        require_choice(party.sex, SEXES, prefix + "sex")
        require_choice(party.age_group, AGE_GROUPS, prefix + "age_group")
        require_choice(party.kind, PARTY_KINDS, prefix + "kind")
        require_whole(party.people_count, prefix + "people_count", minimum=1)
        if len((party.village or "").strip()) > 160:
            raise InvalidInput(_l("At most %(n)d characters.", n=160), field=prefix + "village")
        if len((party.role or "").strip()) > 120:
            raise InvalidInput(_l("At most %(n)d characters.", n=120), field=prefix + "role")


def build_parties(parties: list[PartyInput]) -> list[Party]:
    return [Party(position=index, name=p.name.strip(), sex=p.sex, age_group=p.age_group,
                  kind=p.kind, people_count=p.people_count,
                  village=(p.village or "").strip(), role=(p.role or "").strip())
            for index, p in enumerate(parties)]


def next_sequence(commune: Commune, year: int) -> int:
    """The next number of the commune's series of the year: after its cases' numbers and the
    numbers of the cases that moved away (their former references stay taken)."""
    # Lock the commune row (PostgreSQL) so that two reports in one commune never share a number;
    # SQLite already holds the write lock (the transaction began IMMEDIATE).
    db.session.execute(select(Commune.id).where(Commune.id == commune.id).with_for_update())
    last = db.session.scalar(select(func.max(Case.sequence))
                             .where(Case.commune_id == commune.id, Case.year == year))
    moved = db.session.scalar(select(func.max(FormerReference.sequence))
                              .where(FormerReference.commune_id == commune.id,
                                     FormerReference.year == year))
    return max(last or 0, moved or 0) + 1


def _refuse_second_submission(actor, submission: str) -> None:
    """409 when this intake form (its one-time token) already reported a case."""
    reference = offline_submissions.case_reported(actor, submission)
    if reference is not None:
        raise Conflict(_l("This report is already saved, as %(reference)s: open it from the "
                          "list of cases.", reference=reference))


def _ask_about_look_alike(actor, commune: Commune, data: CaseInput) -> str | None:
    """409 with a question when a case reported in the commune a short while ago looks like
    this one (casework/queries/duplicates.py), unless the person answered that it is another
    conflict: then the reference of the look-alike, for the event."""
    alike = duplicates.look_alike(commune.id, data.village, [p.name for p in data.parties],
                                  data.description)
    if alike is None:
        return None
    if data.another_conflict:
        return alike.reference
    if access.names_look_alike(actor, alike):
        raise PossibleDuplicate(_l("Is this the same conflict as %(reference)s? It was "
                                   "reported in this commune a short while ago.",
                                   reference=alike.reference), reference=alike.reference,
                                case=alike)
    raise PossibleDuplicate(_l("A report that looks like this one was made in this commune a "
                               "short while ago. Is it the same conflict?"), case=alike)


def report_case(actor, commune: Commune, data: CaseInput) -> Case:
    """Open a case in `commune` at the initial state of the default workflow."""
    if not access.can(actor, "report", commune_id=commune.id):
        raise NotPermitted(_l("You cannot report a conflict in this commune."))
    return report_case_unchecked(actor, commune, data)


def report_case_unchecked(actor, commune: Commune, data: CaseInput) -> Case:
    """report_case without the access check, for an intake whose caller already authenticated
    the sender in its own way (the SMS gateway's shared secret); `actor` is then a system
    account that holds no role."""
    validate_case(data)
    workflow = workflow_for_new_case(data.conflict_type)
    year = local_today().year
    sequence = next_sequence(commune, year)  # locks the commune: the check below is serial
    if data.submission:
        _refuse_second_submission(actor, data.submission)
    distinct_from = _ask_about_look_alike(actor, commune, data)
    case = Case(
        reference=f"{commune.code}-{year}-{sequence:04d}", commune=commune, year=year,
        sequence=sequence, village=data.village.strip(), conflict_type=data.conflict_type,
        facts_date=data.facts_date, description=data.description.strip(),
        violence=data.violence or data.injuries > 0 or data.deaths > 0,
        injuries=data.injuries, deaths=data.deaths, urgency=data.urgency,
        reporter_name=data.reporter_name.strip(),
        reporter_contact=(data.reporter_contact or "").strip() or None,
        channel=data.channel, confidential=data.conflict_type == GBV,
        workflow=workflow.name, workflow_version=workflow.version, status=workflow.initial,
        created_by_id=actor.id,
    )
    case.parties = build_parties(data.parties)
    now = utcnow()
    case.status_changed_at = case.created_at = min(data.reported_at or now, now)
    enter_state(case, case.status)
    db.session.add(case)
    # Recorded before the case is written, so that its report keeps version 0: it came before
    # every version a form can carry (services/events.py).
    events.record("case.reported", actor=actor, case=case, reference=case.reference,
                  status=case.status, workflow=workflow.name,
                  workflow_version=workflow.version, parties=len(case.parties),
                  submission=data.submission,
                  **({"distinct_from": distinct_from} if distinct_from else {}))
    db.session.flush()
    if data.submission:
        offline_submissions.remember(actor, data.submission, f"/cases/{case.reference}",
                                     case=case)
        db.session.flush()
    return case
