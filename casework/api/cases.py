"""/api/v1/cases: list, report, read, what the caller may do now, and every action on a case.

Each endpoint loads the case through access (404 for a case the caller may not see, another
commune's included, with the denial logged) and calls the same service as the case page; the
request's end commits (casework/unit_of_work.py). A change carries the case's `version` as
last read: a stale one answers 409.
"""
from __future__ import annotations

from flask import abort, url_for
from flask_babel import lazy_gettext as _l

from .. import access
from ..errors import Conflict, InvalidInput, NotPermitted
from ..extensions import db
from ..lookup import case_or_404
from ..models import Case, Commune, Proposal
from ..queries import case_list
from ..queries.filters import CaseFilters
from ..services import audit, cases, followups, signoffs, steps, team, transitions
from ..services.cases import CaseInput, PartyInput
from ..services.followups import FollowUpInput
from ..services.steps import StepInput
from ..services.transitions import TransitionInput
from ..unit_of_work import flushed
from ..workflow_registry import state_labels, workflow_of
from . import auth, present
from .blueprint import Blueprint
from .outputs import ActionsOut, CaseOut, CasePageOut
from .request_schemas import (
    CaseIn,
    CaseQuery,
    FollowUpIn,
    ProposalIn,
    SignOffIn,
    StepIn,
    TeamIn,
    TransitionIn,
)

bp = Blueprint("api_cases", __name__, url_prefix="/api/v1/cases",
               description="Conflict cases of the caller's communes, and what is done on them.")


def _answer(case: Case, status: int = 200):
    headers = {"Location": url_for("api_cases.show", reference=case.reference)}
    return present.detail(auth.user(), case), status, headers


@bp.get("")
@bp.arguments(CaseQuery, location="query")
@bp.response(200, CasePageOut)
def index(query):
    """The cases the caller sees, newest first, with the case list's filters."""
    state = query.get("state")
    if state is not None and state not in state_labels():
        raise InvalidInput(_l("Choose one of the states of the workflows."), field="state")
    filters = CaseFilters(commune_id=query.get("commune"), status=state,
                          conflict_type=query.get("type"))
    statement = case_list.matching(auth.user(), filters)
    if "updated_since" in query:
        statement = statement.where(Case.updated_at >= query["updated_since"])
    return _page(statement, query)


def _page(statement, query) -> dict:
    """A page by cursor (`after`, `before`), or by number for the tools written before."""
    try:
        cursor = case_list.Cursor.from_args(query)
    except case_list.BadCursor:
        field = "after" if "after" in query else "before"
        raise InvalidInput(_l("This cursor is not one a page of this list gave."),
                           field=field) from None
    if cursor != case_list.Cursor() and query["page"] != 1:
        raise InvalidInput(_l("Ask for a page by its cursor or by its number, not both."),
                           field="page")
    per_page = query["per_page"]
    if cursor == case_list.Cursor() and query["page"] > 1:
        page = case_list.numbered(statement, query["page"], per_page)
    else:
        # A program that walks the pages ends on an empty one, never sees one again.
        page = case_list.read_page(statement, cursor, per_page, past_the_end=False)
    return {"items": [present.summary(case) for case in page.items], "page": page.number,
            "per_page": per_page, "total": page.total, "pages": page.pages,
            "next": page.next_after, "previous": page.prev_before}


@bp.post("")
@bp.arguments(CaseIn)
@bp.response(201, CaseOut)
def create(body):
    """Report a conflict in one of the caller's communes (mediators and coordinators)."""
    user = auth.user()
    if not access.can(user, "report"):
        raise NotPermitted(_l("Only mediators and coordinators report conflicts."))
    commune_id = body.pop("commune_id")
    if not access.can(user, "report", commune_id=commune_id):
        raise InvalidInput(_l("Choose a commune where you report conflicts."),
                           field="commune_id")
    parties = [PartyInput(**party) for party in body.pop("parties")]
    data = CaseInput(parties=parties, **body)
    case = flushed(lambda: cases.report_case(user, db.session.get(Commune, commune_id), data))
    return _answer(case, 201)


@bp.get("/<reference:reference>")
@bp.response(200, CaseOut)
def show(reference):
    """One case, as its page shows it to the caller."""
    user = auth.user()
    case = case_or_404(reference, user)
    shown = present.detail(user, case)
    audit.case_viewed(user, case, via="api")  # as for its page, once what it shows is read
    return shown


@bp.get("/<reference:reference>/actions")
@bp.response(200, ActionsOut)
def actions(reference):
    """What the caller may do on the case now: transitions, sign-offs, steps, visits."""
    user = auth.user()
    return present.actions(user, case_or_404(reference, user))


@bp.post("/<reference:reference>/transitions/<trigger:trigger>")
@bp.arguments(TransitionIn)
@bp.response(200, CaseOut)
def fire(body, reference, trigger):
    """Fire a transition offered by /actions; one that needs sign-offs becomes a proposal.

    409 when the case changed since `version`, or the transition is not possible in its
    state; 403 when the caller's role may not fire it.
    """
    user = auth.user()
    case = case_or_404(reference, user)
    if not workflow_of(case).has_trigger(trigger):
        abort(404)
    version = body.pop("version")
    flushed(lambda: transitions.fire(user, case, trigger, TransitionInput(**body),
                                  version=version))
    return _answer(case)


def _proposed_trigger(case: Case, trigger: str | None) -> str:
    workflow = workflow_of(case)
    candidates = [t.trigger for t in workflow.outgoing(case.status) if t.needs_signoffs]
    if trigger is not None:
        if not workflow.has_trigger(trigger) or not workflow.transition(trigger).needs_signoffs:
            raise InvalidInput(_l("This transition is not one that is proposed for sign-off."),
                               field="trigger")
        return trigger
    if not candidates:
        raise Conflict(_l("No agreement can be proposed on this case in its current state."))
    if len(candidates) > 1:
        raise InvalidInput(_l("Name the transition proposed."), field="trigger")
    return candidates[0]


@bp.post("/<reference:reference>/proposals")
@bp.arguments(ProposalIn)
@bp.response(201, CaseOut)
def propose(body, reference):
    """Propose an agreement: it waits for the sign-offs its transition names."""
    user = auth.user()
    case = case_or_404(reference, user)
    trigger = _proposed_trigger(case, body.get("trigger"))
    flushed(lambda: transitions.fire(user, case, trigger,
                                  TransitionInput(agreement_text=body["agreement_text"]),
                                  version=body["version"]))
    return _answer(case, 201)


@bp.post("/<reference:reference>/proposals/<int:proposal_id>/sign-offs")
@bp.arguments(SignOffIn)
@bp.response(201, CaseOut)
def sign_off(body, reference, proposal_id):
    """Approve or reject a proposal in a role it awaits (409 when already signed or decided)."""
    user = auth.user()
    case = case_or_404(reference, user)
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.case_id != case.id:
        abort(404)
    flushed(lambda: signoffs.sign_off(user, proposal, body["decision"], body["comment"],
                                   version=body["version"]))
    return _answer(case, 201)


@bp.post("/<reference:reference>/steps")
@bp.arguments(StepIn)
@bp.response(201, CaseOut)
def log_step(body, reference):
    """Log a mediation step (the case's team, while it is in mediation)."""
    user = auth.user()
    case = case_or_404(reference, user)
    version = body.pop("version")
    flushed(lambda: steps.log_step(user, case, StepInput(**body), version=version))
    return _answer(case, 201)


@bp.post("/<reference:reference>/follow-ups")
@bp.arguments(FollowUpIn)
@bp.response(201, CaseOut)
def record_follow_up(body, reference):
    """Record a follow-up visit of the current agreement; a broken one reopens the case."""
    user = auth.user()
    case = case_or_404(reference, user)
    version = body.pop("version")
    flushed(lambda: followups.record_follow_up(user, case, FollowUpInput(**body),
                                            version=version))
    return _answer(case, 201)


@bp.put("/<reference:reference>/team")
@bp.arguments(TeamIn)
@bp.response(200, CaseOut)
def assign_team(body, reference):
    """Make the case's reconciliation team exactly these mediators of its commune."""
    user = auth.user()
    case = case_or_404(reference, user)
    flushed(lambda: team.assign_team(user, case, body["members"], version=body["version"]))
    return _answer(case)
