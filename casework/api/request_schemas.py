"""The request bodies and query strings of the API, as marshmallow schemas.

A field a schema does not name is refused (400), never silently used or dropped: a body that
adds `status`, `commune_id`, `role` or `confidential` where they do not belong changes nothing.
"""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from .. import vocabulary as v
from ..forms.intake import MAX_PARTIES
from ..transition_forms import FormField, every_field
from .fields import Moment, Text, choice, day, row_id, version, whole

NAME, LONG = 160, 10_000


class TokenRequest(Schema):
    username = Text(80, required=True)
    password = Text(256, required=True)
    code = Text(40, allow_none=True, metadata={
        "description": "The code of the authenticator app (or a recovery code), for an "
                       "account with two-factor authentication."})
    name = Text(80, metadata={"description": "A label to recognise the token by."})


class PartyIn(Schema):
    name = Text(NAME, required=True)
    sex = choice(v.SEXES, required=True)
    age_group = choice(v.AGE_GROUPS, required=True)
    kind = choice(v.PARTY_KINDS, load_default="person")
    people_count = whole(1, load_default=1)


class CaseIn(Schema):
    commune_id = row_id(required=True, metadata={
        "description": "A commune where the caller reports conflicts (mediator, coordinator)."})
    village = Text(NAME, required=True)
    conflict_type = choice(v.CONFLICT_TYPES, required=True)
    description = Text(LONG, required=True)
    facts_date = day(allow_none=True)
    parties = fields.List(fields.Nested(PartyIn), required=True,
                          validate=validate.Length(min=1, max=MAX_PARTIES))
    violence = fields.Boolean(load_default=False)
    injuries = whole(load_default=0)
    deaths = whole(load_default=0)
    urgency = choice(v.URGENCIES, load_default="normal")
    reporter_name = Text(NAME, required=True)
    reporter_contact = Text(80, allow_none=True)
    channel = choice(v.CHANNELS, required=True)
    submission = Text(64, allow_none=True, metadata={
        "description": "A key of the caller's choosing: the same report sent twice with the "
                       "same key is saved once (409 the second time)."})
    another_conflict = fields.Boolean(load_default=False, metadata={
        "description": "A report that looks like one made in the commune a short while ago "
                       "is refused with a 409 whose `duplicate_of` names it (null when the "
                       "caller may not open it); send it again with true if it is another "
                       "conflict."})


class CaseQuery(Schema):
    commune = row_id(strict=False, metadata={"description": "Only this commune's cases."})
    state = fields.String(metadata={"description": "Only cases in this state (see "
                                                   "/workflows)."})
    type = choice(v.CONFLICT_TYPES, metadata={"description": "Only this type of conflict."})
    updated_since = Moment(metadata={"description": "Only cases changed at or after this "
                                                    "instant (ISO 8601)."})
    after = fields.String(validate=validate.Regexp(r"^\d{1,16}\.\d{1,10}$"), metadata={
        "description": "The page after this cursor (a page's `next`): as fast on the last "
                       "page as on the first, and a case reported meanwhile neither repeats "
                       "nor hides another."})
    before = fields.String(validate=validate.Regexp(r"^(\d{1,16}\.\d{1,10}|end)$"), metadata={
        "description": "The page before this cursor (a page's `previous`); `end`: the last "
                       "page."})
    page = whole(1, 100_000, strict=False, load_default=1, metadata={
        "description": "A page by its number, for the tools written before the cursors: "
                       "slower far into the list, and it shifts when a case is reported; "
                       "prefer `after` and `before`."})
    per_page = whole(1, 100, strict=False, load_default=25)


class Versioned(Schema):
    version = version()


def _transition_field(used: list[tuple[str, FormField]]) -> fields.Field:
    """A field of TRANSITION_FORMS, described by the forms that ask for it."""
    forms = ", ".join(f"`{form}`" + (" (required)" if f.required else "") for form, f in used)
    metadata = {"description": f"For a transition whose form is {forms}."}
    first = used[0][1]
    if first.kind == "service":
        return fields.Integer(allow_none=True, metadata=metadata)
    if first.kind == "date":
        return fields.Date(allow_none=True, metadata=metadata)
    if first.kind == "choice":
        return choice(first.choices, metadata=metadata)
    return Text(first.max_length, metadata=metadata)


# The body of a transition: every field of every transition form (casework/transition_forms.py).
TransitionIn = type("TransitionIn", (Versioned,), {
    name: _transition_field(used) for name, used in every_field().items()})


class ProposalIn(Versioned):
    agreement_text = Text(LONG, required=True)
    trigger = fields.String(metadata={"description": "The transition proposed, when the state "
                                                     "has more than one that needs sign-offs."})


class StepIn(Versioned):
    step_date = day(required=True)
    kind = choice(v.STEP_KINDS, required=True)
    place = Text(NAME, required=True)
    summary = Text(LONG, required=True)
    women = whole(load_default=0)
    men = whole(load_default=0)
    young_women = whole(load_default=0)
    young_men = whole(load_default=0)
    outcome = Text(LONG, load_default="")
    next_step = Text(LONG, allow_none=True)
    next_step_date = day(allow_none=True)


class FollowUpIn(Versioned):
    visit_date = day(required=True)
    outcome = choice(v.FOLLOW_UP_OUTCOMES, required=True)
    milestone_days = whole(1, 10_000, allow_none=True, metadata={
        "description": "The planned visit (30, 90 days...) this is; none for an extra visit."})
    notes = Text(LONG, load_default="")


class SignOffIn(Schema):
    version = version(metadata={
        "description": "The proposal's `version` as last read (in `proposals` and "
                       "`actions.sign_offs`), not the case's: a change to the proposal made "
                       "since answers 409; a step, a file or the other role's approval does not."})
    decision = choice(v.SIGNOFF_DECISIONS, required=True)
    comment = Text(LONG, load_default="")


class TeamIn(Versioned):
    members = fields.List(row_id(), required=True, validate=validate.Length(min=1, max=50),
                          metadata={"description": "User ids of mediators of the case's "
                                                   "commune."})


def _reason():
    return Text(2000, required=True, metadata={
        "description": "Why: kept in the case's history (shown to those who read the "
                       "parties' names)."})


class CaseCorrectionIn(Versioned):
    """A correction of the case's record: the fields sent replace what is recorded, the
    others stay; `parties`, when sent, is the whole list in order."""

    reason = _reason()
    village = Text(NAME)
    conflict_type = choice(v.CONFLICT_TYPES)
    description = Text(LONG)
    facts_date = day(allow_none=True)
    parties = fields.List(fields.Nested(PartyIn), validate=validate.Length(min=1,
                                                                           max=MAX_PARTIES))


class StepCorrectionIn(Versioned):
    """A correction of a mediation step: the fields sent replace what is recorded."""

    reason = _reason()
    step_date = day()
    kind = choice(v.STEP_KINDS)
    place = Text(NAME)
    summary = Text(LONG)
    women = whole()
    men = whole()
    young_women = whole()
    young_men = whole()
    outcome = Text(LONG)
    next_step = Text(LONG, allow_none=True)
    next_step_date = day(allow_none=True)


class FollowUpCorrectionIn(Versioned):
    """The date, notes or finding of a visit; a finding only on the same side of `broken`
    (a broken agreement sent the case back to mediation: 400 says what to do instead)."""

    reason = _reason()
    visit_date = day()
    outcome = choice(v.FOLLOW_UP_OUTCOMES)
    notes = Text(LONG)


class WithdrawalIn(Versioned):
    reason = _reason()


class MoveIn(Versioned):
    commune_id = row_id(required=True, metadata={
        "description": "The commune the case goes to: the caller coordinates it too."})
    reason = _reason()


class MergeIn(Versioned):
    into = Text(24, required=True, metadata={
        "description": "The reference of the case this one repeats: an open case of the same "
                       "commune, with the same confidentiality."})
    into_version = version(metadata={"description": "The `version` of that case as last "
                                                    "read; a change made since answers 409."})
    reason = _reason()


class DashboardQuery(Schema):
    commune = row_id(strict=False)
    state = fields.String()
    type = choice(v.CONFLICT_TYPES)
    date_from = day(data_key="from", metadata={"description": "First day of the period."})
    date_to = day(data_key="to", metadata={"description": "Last day of the period."})


class ReferralVersioned(Schema):
    version = version(metadata={"description": "The referral's `version` as last read; an "
                                               "answer given since answers 409."})


class DeclineIn(ReferralVersioned):
    decline_reason = Text(LONG, required=True)


class OutcomeIn(ReferralVersioned):
    outcome = Text(LONG, required=True)
