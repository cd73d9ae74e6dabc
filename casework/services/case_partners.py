"""Crediting a case to a partner organisation (AMSS, ARGA...): what the programme report counts
per partner and narrows to when filtered by one. A coordinator of the case's commune sets or
changes it from the case page, in any state (a closed case still counts in a report)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import access
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case, CasePartner, Partner
from ..queries.case_page import credited_partner
from . import events
from .progress import expect_version, touch


def credit_case(actor, case: Case, partner_id: int | None, *, version: int | None = None
                ) -> bool:
    """Credit `case` to the partner `partner_id` (None: to none); False when it already was.

    The case's version moves on, so that a second coordinator's form opened before this
    change is refused rather than silently undoing it.
    """
    if not access.can(actor, "credit_partner", case):
        raise NotPermitted(_l("Only a coordinator of the case's commune credits it to a "
                              "partner."))
    expect_version(case, version)
    before = credited_partner(case)
    if (before.id if before else None) == partner_id:
        return False
    partner = db.session.get(Partner, partner_id) if partner_id is not None else None
    if partner_id is not None and (partner is None or not partner.active):
        raise InvalidInput(_l("Choose one of the partners."), field="partner_id")
    credit = db.session.get(CasePartner, case.id)
    if partner is None:
        db.session.delete(credit)
    elif credit is None:
        db.session.add(CasePartner(case_id=case.id, partner_id=partner.id))
    else:
        credit.partner_id = partner.id
    touch(case)
    events.record("case.partner_credited", actor=actor, case=case,
                  from_partner=before.code if before else None,
                  to_partner=partner.code if partner else None)
    db.session.flush()
    return True
