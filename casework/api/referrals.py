"""/api/v1/referrals: a service's focal point lists the referrals addressed to their service
and answers them (accept, decline, outcome), under the same rules as the pages
(access.REFERRAL_ACTIONS): a referral of another service is a 404, and the parties' names
come only with the consent to share them."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import access
from ..errors import NotPermitted
from ..lookup import referral_or_404
from ..queries import referrals as queries
from ..services import referrals
from ..unit_of_work import flushed
from . import auth
from .blueprint import Blueprint
from .outputs import ReferralListOut, ReferralOut
from .request_schemas import DeclineIn, OutcomeIn, ReferralVersioned

bp = Blueprint("api_referrals", __name__, url_prefix="/api/v1/referrals",
               description="Referrals to a service, as its focal point answers them.")


def _focal_point():
    user = auth.user()
    if not access.can(user, "answer_referrals"):
        raise NotPermitted(_l("Only a service's focal point opens the referrals."))
    return user


def present(user, referral) -> dict:
    shared = queries.shared(user, referral)
    return {
        "id": referral.id, "reference": shared.reference, "service": referral.service.name,
        "status": referral.status, "conflict_type": shared.conflict_type,
        "village": shared.village, "facts_date": shared.facts_date,
        "referred_at": referral.referred_at, "answer_by": referral.answer_by,
        "reason": shared.reason, "consent": referral.consent,
        "parties": [{"name": p.name, "sex": p.sex, "age_group": p.age_group}
                    for p in shared.parties],
        "decline_reason": referral.decline_reason, "outcome": referral.outcome,
        "version": referral.version,
    }


def _run(user, referral, operation):
    flushed(operation)
    return present(user, referral)


@bp.get("")
@bp.response(200, ReferralListOut)
def index():
    """The referrals addressed to the caller's services, those awaiting an answer first."""
    user = _focal_point()
    return {"items": [present(user, r) for r in queries.for_focal_point(user)]}


@bp.post("/<int:referral_id>/accept")
@bp.arguments(ReferralVersioned)
@bp.response(200, ReferralOut)
def accept(body, referral_id):
    """Accept a referral that awaits the service's answer."""
    user = _focal_point()
    referral = referral_or_404(referral_id, user)
    return _run(user, referral, lambda: referrals.accept(user, referral,
                                                         version=body["version"]))


@bp.post("/<int:referral_id>/decline")
@bp.arguments(DeclineIn)
@bp.response(200, ReferralOut)
def decline(body, referral_id):
    """Decline a referral that awaits the service's answer, saying why."""
    user = _focal_point()
    referral = referral_or_404(referral_id, user)
    return _run(user, referral, lambda: referrals.decline(
        user, referral, body["decline_reason"], version=body["version"]))


@bp.post("/<int:referral_id>/outcome")
@bp.arguments(OutcomeIn)
@bp.response(200, ReferralOut)
def outcome(body, referral_id):
    """Record what became of an accepted referral."""
    user = _focal_point()
    referral = referral_or_404(referral_id, user)
    return _run(user, referral, lambda: referrals.record_outcome(
        user, referral, body["outcome"], version=body["version"]))
