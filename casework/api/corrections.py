"""/api/v1/cases/{reference}: corrections of a case, a step or a visit (PATCH), a proposal
withdrawn, a case moved to another commune; the same services as the pages, the same
`version` check (409 when the case changed since it was read)."""
from __future__ import annotations

from flask import abort, url_for

from ..extensions import db
from ..lookup import case_or_404
from ..models import Case, Commune
from ..queries.merges import case_named
from ..services import commune_moves, corrections, merges, withdrawals
from ..services.cases import PartyInput
from ..services.corrections import CaseCorrection, FollowUpCorrection
from ..services.steps import StepInput
from ..unit_of_work import flushed
from . import auth, present
from .blueprint import Blueprint
from .outputs import CaseOut
from .request_schemas import (
    CaseCorrectionIn,
    FollowUpCorrectionIn,
    MergeIn,
    MoveIn,
    StepCorrectionIn,
    WithdrawalIn,
)

bp = Blueprint("api_corrections", __name__, url_prefix="/api/v1/cases",
               description="Corrections of what was recorded on a case.")


def _answer(case: Case):
    headers = {"Location": url_for("api_cases.show", reference=case.reference)}
    return present.detail(auth.user(), case), 200, headers


@bp.patch("/<reference:reference>")
@bp.arguments(CaseCorrectionIn)
@bp.response(200, CaseOut)
def correct_case(body, reference):
    """Correct the case's facts, village, type, date of the facts or parties (its team and
    its coordinators; once it has ended, its coordinators only; lifting a confidentiality: a
    coordinator)."""
    user = auth.user()
    case = case_or_404(reference, user)
    parties = ([PartyInput(**party) for party in body["parties"]] if "parties" in body
               else [PartyInput(name=p.name, sex=p.sex, age_group=p.age_group, kind=p.kind,
                                people_count=p.people_count) for p in case.parties])
    data = CaseCorrection(
        village=body.get("village", case.village),
        conflict_type=body.get("conflict_type", case.conflict_type),
        description=body.get("description", case.description),
        facts_date=body.get("facts_date", case.facts_date), parties=parties,
        reason=body["reason"])
    flushed(lambda: corrections.correct_case(user, case, data, version=body["version"]))
    return _answer(case)


@bp.patch("/<reference:reference>/steps/<int:step_id>")
@bp.arguments(StepCorrectionIn)
@bp.response(200, CaseOut)
def correct_step(body, reference, step_id):
    """Correct a mediation step (the fields sent; the others stay as recorded)."""
    user = auth.user()
    case = case_or_404(reference, user)
    step = next((s for s in case.steps if s.id == step_id), None)
    if step is None:
        abort(404)
    version, reason = body.pop("version"), body.pop("reason")
    recorded = {name: getattr(step, name) for name in StepInput.__dataclass_fields__}
    data = StepInput(**{**recorded, **body})
    flushed(lambda: corrections.correct_step(user, case, step, data, reason, version=version))
    return _answer(case)


@bp.patch("/<reference:reference>/follow-ups/<int:visit_id>")
@bp.arguments(FollowUpCorrectionIn)
@bp.response(200, CaseOut)
def correct_follow_up(body, reference, visit_id):
    """Correct the date, the notes or the finding of a follow-up visit (a finding only on the
    same side of `broken`)."""
    user = auth.user()
    case = case_or_404(reference, user)
    visit = next((v for v in case.follow_ups if v.id == visit_id), None)
    if visit is None:
        abort(404)
    data = FollowUpCorrection(visit_date=body.get("visit_date", visit.visit_date),
                              notes=body.get("notes", visit.notes), reason=body["reason"],
                              outcome=body.get("outcome"))
    flushed(lambda: corrections.correct_follow_up(user, case, visit, data,
                                               version=body["version"]))
    return _answer(case)


@bp.post("/<reference:reference>/proposals/<int:proposal_id>/withdrawal")
@bp.arguments(WithdrawalIn)
@bp.response(200, CaseOut)
def withdraw(body, reference, proposal_id):
    """Withdraw a pending proposal (the one who made it only)."""
    user = auth.user()
    case = case_or_404(reference, user)
    proposal = next((p for p in case.proposals if p.id == proposal_id), None)
    if proposal is None:
        abort(404)
    flushed(lambda: withdrawals.withdraw_proposal(user, proposal, body["reason"],
                                               version=body["version"]))
    return _answer(case)


@bp.post("/<reference:reference>/commune")
@bp.arguments(MoveIn)
@bp.response(200, CaseOut)
def move(body, reference):
    """Move the case to another commune (a coordinator of both): it takes a reference of
    that commune's series; the former one still leads to it (`Location` gives the new)."""
    user = auth.user()
    case = case_or_404(reference, user)
    commune = db.session.get(Commune, body["commune_id"])
    flushed(lambda: commune_moves.move_case(user, case, commune, body["reason"],
                                         version=body["version"]))
    return _answer(case)


@bp.post("/<reference:reference>/merge")
@bp.arguments(MergeIn)
@bp.response(200, CaseOut)
def merge(body, reference):
    """Merge this case, a duplicate report, into the case it repeats (a coordinator of the
    commune): its parties not yet named there, steps, files and references join that case,
    which is answered (`Location`); this reference then leads to it. Refused (409) while this
    case has a pending proposal or an approved agreement."""
    user = auth.user()
    case = case_or_404(reference, user)
    named = body["into"].strip().upper()
    kept = case_named(user, named)
    flushed(lambda: merges.merge_case(user, case, kept, body["reason"], version=body["version"],
                                   kept_version=body["into_version"], reference=named))
    return _answer(kept)
