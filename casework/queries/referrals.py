"""Read models of referrals: the services a case may be referred to, a focal point's list,
a case's referrals."""
from __future__ import annotations

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
        .options(selectinload(Referral.case), selectinload(Referral.service))
        .order_by((Referral.status != "sent"), Referral.answer_by, Referral.id.desc())
        .limit(PAGE)))


def of_case(case: Case) -> list[Referral]:
    """The case's referrals, the latest first, for its page (the case's own rules apply)."""
    return list(db.session.scalars(
        select(Referral).where(Referral.case_id == case.id)
        .options(selectinload(Referral.service)).order_by(Referral.id.desc())))
