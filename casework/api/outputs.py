"""The API's answers, as marshmallow schemas: what /openapi.json describes and what is sent.

Fields that may be hidden (the parties' names and the facts of a confidential case, from
anyone but its team, its coordinators and the mediator who reported it) are null then, and
`identities_hidden` is true.
"""
from __future__ import annotations

from marshmallow import Schema, fields

from ..transition_forms import TRANSITION_FORMS

S, Int, B = fields.String, fields.Integer, fields.Boolean


def hidden(field_class=S, **kwargs):
    return field_class(allow_none=True, required=True, metadata={
        "description": "null when identities_hidden"}, **kwargs)


class TokenOut(Schema):
    token = S(required=True, metadata={"description": "Shown once: send it as "
                                                      "Authorization: Bearer <token>."})
    expires_at = fields.DateTime(required=True)
    name = S(required=True)


class CommuneOut(Schema):
    id = Int(required=True)
    code = S(required=True)
    name = S(required=True)


class PersonOut(Schema):
    id = Int(required=True)
    full_name = S(required=True)


class CaseSummaryOut(Schema):
    reference = S(required=True)
    commune = fields.Nested(CommuneOut, required=True)
    village = S(required=True)
    conflict_type = S(required=True)
    status = S(required=True)
    status_label = S(required=True)
    urgency = S(required=True)
    confidential = B(required=True)
    workflow = S(required=True)
    workflow_version = Int(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)
    status_changed_at = fields.DateTime(required=True)
    version = Int(required=True)


class CasePageOut(Schema):
    items = fields.List(fields.Nested(CaseSummaryOut), required=True)
    page = Int(required=True, allow_none=True, metadata={
        "description": "The page's number when asked by `page`; null when asked by cursor."})
    per_page = Int(required=True)
    total = Int(required=True)
    pages = Int(required=True)
    next = S(required=True, allow_none=True, metadata={
        "description": "The cursor of the next page (send it as `after`); null on the last."})
    previous = S(required=True, allow_none=True, metadata={
        "description": "The cursor of the previous page (send it as `before`); null on the "
                       "first."})


class PartyOut(Schema):
    position = Int(required=True)
    name = hidden()
    sex = S(required=True)
    age_group = S(required=True)
    kind = S(required=True)
    people_count = Int(required=True)


class StepOut(Schema):
    id = Int(required=True)
    step_date = fields.Date(required=True)
    kind = S(required=True)
    place = hidden()
    women = Int(required=True)
    men = Int(required=True)
    young_women = Int(required=True)
    young_men = Int(required=True)
    summary = hidden()
    outcome = hidden()
    next_step = hidden()
    next_step_date = fields.Date(allow_none=True, required=True)
    created_at = fields.DateTime(required=True)


class SignOffOut(Schema):
    role = S(required=True)
    decision = S(required=True)
    comment = hidden()
    user = fields.Nested(PersonOut, required=True)
    signed_at = fields.DateTime(required=True)


class ProposalOut(Schema):
    id = Int(required=True)
    trigger = S(required=True)
    status = S(required=True)
    from_state = S(required=True)
    to_state = S(required=True)
    agreement_text = hidden()
    required_roles = fields.List(S(), required=True)
    awaited_roles = fields.List(S(), required=True)
    proposed_by = fields.Nested(PersonOut, required=True)
    proposed_at = fields.DateTime(required=True)
    decided_at = fields.DateTime(allow_none=True, required=True)
    version = Int(required=True, metadata={"description": "What a sign-off sends back."})
    signoffs = fields.List(fields.Nested(SignOffOut), required=True)


class FollowUpOut(Schema):
    id = Int(required=True)
    proposal_id = Int(required=True)
    milestone_days = Int(allow_none=True, required=True)
    visit_date = fields.Date(required=True)
    outcome = S(required=True)
    notes = hidden()


class MilestoneOut(Schema):
    days = Int(required=True)
    due = fields.Date(required=True)
    follow_up_id = Int(allow_none=True, required=True)


class CaseOut(CaseSummaryOut):
    identities_hidden = B(required=True)
    facts_date = fields.Date(allow_none=True, required=True)
    description = hidden()
    violence = B(required=True)
    injuries = Int(required=True)
    deaths = Int(required=True)
    reporter_name = hidden()
    channel = S(required=True)
    referral_target = S(allow_none=True, required=True)
    decision_note = hidden()
    created_by = fields.Nested(PersonOut, required=True)
    parties = fields.List(fields.Nested(PartyOut), required=True)
    team = fields.List(fields.Nested(PersonOut), required=True)
    steps = fields.List(fields.Nested(StepOut), required=True)
    proposals = fields.List(fields.Nested(ProposalOut), required=True)
    follow_ups = fields.List(fields.Nested(FollowUpOut), required=True)
    milestones = fields.List(fields.Nested(MilestoneOut), required=True)
    next_steps = fields.List(S(), required=True)


def _field_note(f) -> str:
    return f"{f.name}, required" if f.required else f.name


class TransitionOfferOut(Schema):
    trigger = S(required=True)
    label = S(required=True)
    dest = S(required=True)
    form = S(allow_none=True, required=True, metadata={
        "description": "What the body carries: " + "; ".join(
            f"{name} ({', '.join(_field_note(f) for f in form.fields)})"
            for name, form in TRANSITION_FORMS.items() if name) + "."})
    needs_signoffs = B(required=True)


class SignOffOfferOut(Schema):
    proposal_id = Int(required=True)
    version = Int(required=True, metadata={"description": "The proposal's version, to send "
                                                           "with the sign-off."})
    roles = fields.List(S(), required=True)


class ActionsOut(Schema):
    version = Int(required=True)
    transitions = fields.List(fields.Nested(TransitionOfferOut), required=True)
    sign_offs = fields.List(fields.Nested(SignOffOfferOut), required=True)
    log_step = B(required=True)
    record_follow_up = B(required=True)
    open_milestones = fields.List(Int(), required=True)
    assign_team = B(required=True)
    correct = B(required=True, metadata={"description": "Whether the caller may correct the "
                                                          "case, its steps and its visits."})
    withdraw = fields.List(Int(), required=True, metadata={
        "description": "Proposals the caller may withdraw (their own, pending)."})
    move_to = fields.List(Int(), required=True, metadata={
        "description": "Communes the caller may move the case to."})
    merge = B(required=True, metadata={"description": "Whether the caller may merge the case "
                                                      "into another case it repeats."})


class StateDefOut(Schema):
    name = S(required=True)
    labels = fields.Dict(keys=S(), values=S(), required=True)
    final = B(required=True)
    sla_days = Int(allow_none=True, required=True)
    warn_days = Int(allow_none=True, required=True)
    idle_days = Int(allow_none=True, required=True)
    follow_up_days = fields.List(Int(), required=True)
    allows = fields.List(S(), required=True)
    tags = fields.List(S(), required=True, metadata={
        "description": "What the figures count the state as (resolved, final_outcome...); "
                       "the dashboard's `flows` are keyed by these."})


class TransitionDefOut(Schema):
    trigger = S(required=True)
    labels = fields.Dict(keys=S(), values=S(), required=True)
    sources = fields.List(S(), required=True)
    dest = S(required=True)
    by = fields.List(S(), required=True)
    requires = fields.List(S(), required=True)
    unless = fields.List(S(), required=True)
    signoffs = fields.List(S(), required=True)
    reminder_days = Int(allow_none=True, required=True)
    escalation_days = Int(allow_none=True, required=True)
    form = S(allow_none=True, required=True)
    automatic = B(required=True)
    on_referral = S(allow_none=True, required=True, metadata={
        "description": "The service's answer to a referral that fires it (accepted, declined, "
                       "outcome_recorded); null when people (or the system) fire it."})


class WorkflowOut(Schema):
    name = S(required=True)
    version = Int(required=True)
    title = fields.Dict(keys=S(), values=S(), required=True)
    initial = S(required=True)
    states = fields.List(fields.Nested(StateDefOut), required=True)
    transitions = fields.List(fields.Nested(TransitionDefOut), required=True)


class FigureOut(Schema):
    label = S(required=True)
    value = fields.Float(allow_none=True, required=True)
    unit = S(required=True)
    # Which cases it counts: reported (in the period), open_at_end, acted (on in the period).
    counts = S(required=True)


class CommuneFiguresOut(Schema):
    commune = fields.Nested(CommuneOut, required=True)
    open_by_state = fields.Dict(keys=S(), values=Int(), required=True)
    open_total = Int(required=True)
    past_sla = Int(required=True)
    mediated = Int(required=True)
    resolved = Int(required=True)
    case_target = Int(required=True)


class DashboardOut(Schema):
    figures = fields.List(fields.Nested(FigureOut), required=True)
    communes = fields.List(fields.Nested(CommuneFiguresOut), required=True)
    open_by_state = fields.Dict(keys=S(), values=Int(), required=True)
    flows = fields.Dict(keys=S(), values=Int(), required=True)
    by_type = fields.Dict(keys=S(), values=Int(), required=True)
    participants = fields.Dict(keys=S(), values=Int(), required=True)


class ReferralPartyOut(Schema):
    name = S(required=True)
    sex = S(allow_none=True, required=True)
    age_group = S(allow_none=True, required=True)


class ReferralOut(Schema):
    """What a referral shares with its service: the parties only with the consent to share
    them (else an empty list), a confidential case's village likewise (else null)."""

    id = Int(required=True)
    reference = S(required=True)
    service = S(required=True)
    status = S(required=True)
    conflict_type = S(required=True)
    village = S(allow_none=True, required=True)
    facts_date = fields.Date(allow_none=True, required=True)
    referred_at = fields.DateTime(required=True)
    answer_by = fields.Date(required=True)
    reason = S(required=True)
    consent = B(required=True)
    parties = fields.List(fields.Nested(ReferralPartyOut), required=True)
    decline_reason = S(allow_none=True, required=True)
    outcome = S(allow_none=True, required=True)
    version = Int(required=True)


class ReferralListOut(Schema):
    items = fields.List(fields.Nested(ReferralOut), required=True)
