"""Cases: list, intake, the case page, and every form that moves a case along."""
from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    render_template,
    request,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access
from ..clock import local_today
from ..documents import agreement
from ..errors import NotPermitted, PossibleDuplicate
from ..extensions import db
from ..forms.attachments import AttachmentForm
from ..forms.casework import FollowUpForm, SignOffForm, StepForm, TeamForm
from ..forms.fields import options
from ..forms.intake import CaseForm, VerifyForm
from ..forms.transitions import PAGE_FORMS
from ..models import Commune, Proposal
from ..queries import case_list, case_page, milestones
from ..queries.filters import CaseFilters
from ..queries.referrals import offered_services
from ..services import (
    attachments,
    audit,
    cases,
    followups,
    signoffs,
    steps,
    team,
    transitions,
    verification,
)
from ..workflow_registry import workflow_of
from .common import case_or_404, handle_form, one_of, opening, to_case, with_files
from .uploads import allow_files

bp = Blueprint("cases", __name__, url_prefix="/cases")
# A transition's form may carry a file (the COFO's PV, services/cofo.py).
allow_files(bp, {"cases.transition"}, attachments.MAX_REQUEST_BYTES, attachments.TOO_LARGE)


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.get("")
def index():
    filters = CaseFilters.from_args(request.args)
    try:
        cursor = case_list.Cursor.from_args(request.args)
    except case_list.BadCursor:
        cursor = case_list.Cursor()
        filters = filters.but(errors=(*filters.errors, _l(
            "This page's link is not valid: here is the first page.")))
    page = case_list.search(current_user, filters, cursor,
                            current_app.config["CASES_PER_PAGE"])
    g.palabre_lists_confidential = any(case.confidential for case in page.items)
    return render_template("cases/list.html", page=page, lines=case_list.lines(page.items),
                           filters=filters,
                           communes=access.visible_communes(current_user),
                           states=case_list.state_choices())


@bp.route("/new", methods=["GET", "POST"])
def new():
    communes = access.reporting_communes(current_user)
    if not communes:
        raise NotPermitted(_l("Only mediators and coordinators report conflicts."))
    form = CaseForm()
    form.commune_id.choices = options((c.id, c.name) for c in communes)
    if form.is_submitted() and form.wants_another_party():
        form.parties.append_entry()  # a button, not a script: works on any phone
        return render_template("cases/new.html", form=form)
    outcome = handle_form(form, lambda: cases.report_case(
        current_user, db.session.get(Commune, form.commune_id.data), form.to_input()))
    if outcome.done:
        return to_case(outcome.result, _l("Conflict reported as %(reference)s.",
                                           reference=outcome.result.reference))
    question = outcome.result if isinstance(outcome.result, PossibleDuplicate) else None
    return render_template("cases/new.html", form=form, question=question), outcome.status


@bp.get("/<reference>")
def show(reference):
    case = case_or_404(reference)
    page = render_template("cases/show.html", **case_page.context(current_user, case),
                           attachment_form=AttachmentForm())
    audit.case_viewed(current_user, case)
    return page


@bp.get("/<reference>/agreements/<int:proposal_id>.pdf")
def agreement_pdf(reference, proposal_id):
    """The conciliation record to print and sign: only an agreement waiting for its sign-offs
    or approved, and only for those who may read the parties' names."""
    case = case_or_404(reference)
    if not access.sees_identities(current_user, case):
        raise NotPermitted(_l("The names of this case's parties are hidden from you."))
    proposal = one_of(case.proposals, proposal_id,
                      lambda p: p.status in ("pending", "approved"))
    body = agreement.render(case, proposal)
    audit.exported("agreement", current_user, case=case, proposal_id=proposal.id)
    response = current_app.response_class(body, mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="pv-conciliation-{case.reference}.pdf"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/<reference>/verify", methods=["GET", "POST"])
def verify(reference):
    """A report that came by SMS or KoboToolbox: a mediator confirms the facts and names the
    parties (those the form named are offered)."""
    case = case_or_404(reference)
    intake = verification.waiting_check(case)
    if intake is None:
        abort(404)
    opening(access.can(current_user, "verify_report", case),
            _l("Only the commune's mediators and coordinators check a report, before the "
               "mediation starts."))
    form = VerifyForm(version=case.version, village=case.village, description=case.description,
                      conflict_type=None if case.conflict_type == "other" else case.conflict_type,
                      parties=[{"name": p.name, "sex": p.sex, "age_group": p.age_group,
                                "kind": p.kind, "people_count": p.people_count,
                                "village": p.village, "role": p.role}
                               for p in case.parties])
    if form.is_submitted() and form.wants_another_party():
        form.parties.append_entry()
        return render_template("cases/verify.html", case=case, form=form, intake=intake)
    outcome = handle_form(form, lambda: verification.verify_report(
        current_user, case, form.to_input(), version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The report is checked."))
    return render_template("cases/verify.html", case=case, form=form, intake=intake), \
        outcome.status


@bp.route("/<reference>/team", methods=["GET", "POST"])
def assign_team(reference):
    case = case_or_404(reference)
    opening(access.can(current_user, "assign_team", case),
            _l("You cannot assign the team of this case."))
    form = TeamForm(version=case.version, members=sorted(case.team_user_ids))
    form.members.choices = options((u.id, u.full_name) for u in team.eligible_mediators(case))
    outcome = handle_form(form, lambda: team.assign_team(current_user, case, form.members.data,
                                                        version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The team is saved."))
    return render_template("cases/team.html", case=case, form=form), outcome.status


@bp.route("/<reference>/steps/new", methods=["GET", "POST"])
def log_step(reference):
    case = case_or_404(reference)
    opening(access.can(current_user, "log_step", case),
            _l("Only the case's team can log a step, while it is in mediation."))
    form = StepForm(version=case.version)
    if not form.is_submitted():
        form.step_date.data = local_today()
    outcome = handle_form(form, lambda: steps.log_step(current_user, case, form.to_input(),
                                                      version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The step is logged."))
    return render_template("cases/step.html", case=case, form=form), outcome.status


@bp.route("/<reference>/follow-ups/new", methods=["GET", "POST"])
def record_follow_up(reference):
    case = case_or_404(reference)
    opening(access.can(current_user, "record_follow_up", case),
            _l("Only the case's team can record a follow-up visit now."))
    form = FollowUpForm(version=case.version)
    open_days = milestones.open_milestones(case)
    # A visit recorded since the form was opened (a double click) is still a valid choice:
    # the service then answers 409 (the case changed), not "not a valid choice".
    offered = ([m.days for m in milestones.milestones(case)] if form.is_submitted()
               else open_days)
    form.milestone_days.choices = options(
        [*((str(d), _l("Planned visit at %(days)d days", days=d)) for d in offered),
         ("", _l("Additional visit"))])
    if not form.is_submitted():
        form.visit_date.data = local_today()
        form.milestone_days.data = milestones.visit_to_offer(case)
    outcome = handle_form(form, lambda: followups.record_follow_up(
        current_user, case, form.to_input(), version=form.version.data), case=case)
    if outcome.done:
        return to_case(case, _l("The follow-up visit is recorded."))
    return render_template("cases/follow_up.html", case=case, form=form,
                           milestones=milestones.milestones(case)), outcome.status


@bp.route("/<reference>/actions/<trigger>", methods=["GET", "POST"])
def transition(reference, trigger):
    case = case_or_404(reference)
    workflow = workflow_of(case)
    if not workflow.has_trigger(trigger):
        abort(404)
    def allowed() -> bool:
        return access.can(current_user, "fire", case, trigger=trigger)

    opening(allowed(), _l("This action is not available to you on this case now."))
    definition = workflow.transition(trigger)
    form = PAGE_FORMS[definition.form](version=case.version)
    if form.names_service:
        form.set_service_choices(offered_services(case))
    outcome = handle_form(form, lambda: transitions.fire(current_user, case, trigger,
                                                        with_files(form, case, allowed),
                                                        version=form.version.data), case=case)
    if outcome.done:
        message = (_l("The agreement is proposed: it waits for its sign-offs.")
                   if definition.needs_signoffs else _l("Done."))
        return to_case(case, message)
    return render_template("cases/transition.html", case=case, form=form,
                           transition=definition), outcome.status


@bp.route("/<reference>/proposals/<int:proposal_id>/sign-off", methods=["GET", "POST"])
def sign_off(reference, proposal_id):
    case = case_or_404(reference)
    proposal = db.session.get(Proposal, proposal_id)
    if proposal is None or proposal.case_id != case.id:
        abort(404)
    opening(access.can(current_user, "sign_off", case, proposal=proposal),
            _l("Your sign-off is not awaited on this proposal."))
    form = SignOffForm(version=proposal.version)
    outcome = handle_form(form, lambda: signoffs.sign_off(
        current_user, proposal, form.decision.data, form.comment.data,
        version=form.version.data), case=case)
    if outcome.done:
        if outcome.result.decision == "reject":
            return to_case(case, _l("You rejected the agreement; the team is told."))
        return to_case(case, _l("Your sign-off is recorded."))
    return render_template("cases/sign_off.html", case=case, proposal=proposal,
                           form=form), outcome.status
