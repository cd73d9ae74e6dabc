"""The land commission's (COFO) conciliation record of a land case referred to it, carried by
the `cofo_record` form of a transition (workflows/definitions/land.v1.yaml): checked before
the case moves, then kept as a record of the case, linked to the referral it answers, with
the PV as a file of the case (services/attachments.py). The referral is answered by it."""
from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..clock import local, local_today
from ..errors import InvalidInput
from ..extensions import db
from ..models import Case, CofoConciliation, Referral, Service
from ..models.cofo import REACHED
from ..models.referral import ACCEPTED, SENT
from ..vocabulary import COFO_OUTCOMES, label
from . import attachments, events, referrals
from .attachments import CheckedFile


def cofo_referral(case: Case) -> Referral | None:
    """The case's latest referral to a COFO service: the one its record answers."""
    return db.session.scalar(
        select(Referral).join(Service).where(Referral.case_id == case.id,
                                             Service.kind == "cofo")
        .order_by(Referral.id.desc()).limit(1))


def check(case: Case, details: dict) -> Referral:
    """What the record says, checked: a conciliation dated between the referral and today,
    a PV number when the conciliation is reached. Returns the referral it answers."""
    referral = cofo_referral(case)
    if referral is None:
        raise InvalidInput(_l("This case was not referred to a land commission (COFO)."))
    held_on = date.fromisoformat(details["conciliation_date"])
    if held_on > local_today():
        raise InvalidInput(_l("The conciliation cannot be dated after today."),
                           field="conciliation_date")
    if held_on < local(referral.referred_at).date():
        raise InvalidInput(_l("The conciliation cannot be dated before the referral to the "
                              "COFO (%(day)s).", day=local(referral.referred_at).date()
                              .strftime("%d/%m/%Y")), field="conciliation_date")
    if details["cofo_outcome"] == REACHED and not details["pv_number"]:
        raise InvalidInput(_l("Give the number of the PV of conciliation."),
                           field="pv_number")
    return referral


def keep(actor, case: Case, referral: Referral, details: dict,
         upload: CheckedFile | None) -> CofoConciliation:
    """The record, once the case moved (same transaction): the PV as a file of the case, and
    the referral answered with what the COFO found."""
    attachment = attachments.store_checked(actor, case, upload) if upload else None
    record = CofoConciliation(
        case=case, referral_id=referral.id,
        conciliation_date=date.fromisoformat(details["conciliation_date"]),
        outcome=details["cofo_outcome"], pv_number=details["pv_number"] or None,
        note=details["note"] or None, attachment=attachment, recorded_by_id=actor.id)
    db.session.add(record)
    db.session.flush()
    events.record("cofo.conciliation_recorded", actor=actor, case=case,
                  record_id=record.id, referral_id=referral.id, outcome=record.outcome,
                  attachment_id=attachment.id if attachment else None)
    outcome = str(label(COFO_OUTCOMES, record.outcome))
    if record.pv_number:
        outcome += f" (PV n° {record.pv_number})"
    if referral.status in (SENT, ACCEPTED):
        referrals.outcome_of_record(actor, referral, outcome)
    return record
