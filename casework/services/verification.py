"""Checking a conflict reported by SMS or a KoboToolbox form: a mediator of the commune (or its
coordinator) confirms the facts with the sender, names the parties, and the case loses its "to
check" mark. An SMS sender's number, shown on the check page to call them back, is erased then:
the case keeps only that it came by SMS. Until then the figures leave it out
(queries/figures.py, `counted`): a flood of messages never moves the dashboard."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import access
from ..errors import Conflict, NotPermitted
from ..extensions import db
from ..models import Case, IntakeRecord
from ..vocabulary import CONFLICT_TYPES, GBV
from . import events
from .cases import PartyInput, build_parties, validate_parties
from .progress import expect_version, touch
from .validation import require_choice, require_text

# Who reported a case by SMS, once the sender's number is erased.
SMS_SENDER_ERASED = "Expéditeur SMS"


@dataclass
class VerifiedReport:
    village: str
    conflict_type: str
    description: str
    parties: list[PartyInput]


def waiting_check(case: Case) -> IntakeRecord | None:
    """The SMS or submission that opened `case`, while nobody has checked it yet."""
    return db.session.scalar(select(IntakeRecord).where(
        IntakeRecord.case_id == case.id, IntakeRecord.to_verify.is_(True)))


def verify_report(actor, case: Case, data: VerifiedReport, *, version: int | None = None) -> None:
    record = waiting_check(case)
    if record is None:
        raise Conflict(_l("This report was already checked."))
    if not access.can(actor, "verify_report", case):
        raise NotPermitted(_l("Only the commune's mediators and coordinators check a report, "
                              "before the mediation starts."))
    expect_version(case, version)
    require_text(data.village, "village", max_length=160)
    require_choice(data.conflict_type, CONFLICT_TYPES, "conflict_type")
    require_text(data.description, "description")
    validate_parties(data.parties)
    case.village = data.village.strip()
    case.conflict_type = data.conflict_type
    case.confidential = data.conflict_type == GBV
    case.description = data.description.strip()
    case.parties = build_parties(data.parties)
    record.to_verify = False
    erased = record.source == "sms" and case.reporter_contact is not None
    if record.source == "sms":
        case.reporter_name, case.reporter_contact = SMS_SENDER_ERASED, None
    touch(case)
    events.record("case.verified", actor=actor, case=case, conflict_type=data.conflict_type,
                  parties=len(data.parties), **({"sender_erased": True} if erased else {}))
    db.session.flush()
