"""Read models of referrals: the services a case may be referred to, a focal point's list,
a case's referrals."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from .. import access
from ..extensions import db
from ..models import Case, Referral, Service

PAGE = 100


def offered_services(case: Case) -> list[Service]:
    """The active services of the case's commune, by name: where it may be referred."""
    return list(db.session.scalars(
        select(Service).where(Service.commune_id == case.commune_id,
                              Service.active.is_(True)).order_by(Service.name)))


def for_focal_point(user) -> list[Referral]:
    """The referrals addressed to the user's services, those awaiting an answer first."""
    return list(db.session.scalars(
        select(Referral).where(access.referrals_clause(user))
        # The parties too: a list shows them (with consent) on every row, one query for all.
        .options(selectinload(Referral.case).selectinload(Case.parties),
                 selectinload(Referral.service))
        .order_by((Referral.status != "sent"), Referral.answer_by, Referral.id.desc())
        .limit(PAGE)))


def of_case(case: Case) -> list[Referral]:
    """The case's referrals, the latest first, for its page (the case's own rules apply)."""
    return list(db.session.scalars(
        select(Referral).where(Referral.case_id == case.id)
        .options(selectinload(Referral.service)).order_by(Referral.id.desc())))


@dataclass(frozen=True)
class Shared:
    """What a referral shares with the service: the case's type, village and date, the
    reason; the parties only with the consent (access: `see_referral_names`). A confidential
    case's village too only with it: in a small village it names the family."""

    reference: str
    conflict_type: str
    village: str | None
    facts_date: date | None
    reason: str
    parties: list = field(default_factory=list)


def shared(user, referral: Referral) -> Shared:
    case = referral.case
    names = access.can(user, "see_referral_names", referral=referral)
    return Shared(
        reference=case.reference, conflict_type=case.conflict_type,
        village=case.village if names or not case.confidential else None,
        facts_date=case.facts_date, reason=referral.reason,
        parties=list(case.parties) if names else [])
