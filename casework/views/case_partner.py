"""The partner organisation credited with a case: set or changed by a coordinator of its
commune from the case page (what the programme report counts per partner)."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access
from ..forms.casework import PartnerForm
from ..queries.case_page import credited_partner
from ..services import case_partners
from .common import case_or_404, handle_form, opening, partner_choices, to_case

bp = Blueprint("case_partner", __name__, url_prefix="/cases")


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.route("/<reference>/partner", methods=["GET", "POST"])
def credit(reference):
    case = case_or_404(reference)
    opening(access.can(current_user, "credit_partner", case),
            _l("Only a coordinator of the case's commune credits it to a partner."))
    current = credited_partner(case)
    form = PartnerForm(version=case.version, partner_id=current.id if current else None)
    partner_choices(form.partner_id, current.id if current else None)
    outcome = handle_form(form, lambda: case_partners.credit_case(
        current_user, case, form.partner_id.data, version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The partner credited with the case is saved."))
    return render_template("cases/partner.html", case=case, form=form,
                           current=current), outcome.status
