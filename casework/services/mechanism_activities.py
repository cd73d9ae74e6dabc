"""Activities a mechanism carried out: the record with the people reached by sex and age
group, its files (checked and stored by casework/files, like case attachments), and the
appreciation of the mayor and the traditional leaders."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm.attributes import flag_modified

from .. import access
from ..errors import Conflict, InvalidInput, NotPermitted
from ..extensions import db
from ..models import (
    ActivityFile,
    Appreciation,
    AuthorityPresent,
    Mechanism,
    MechanismActivity,
    Partner,
    PlannedActivity,
)
from ..vocabulary import (
    ACTIVITY_FILE_KINDS,
    ACTIVITY_KINDS,
    ADVOCACY_OUTCOMES,
    AUTHORITY_ROLES,
    MEMBER_SEXES,
    RATINGS,
    REACHED,
)
from . import events
from .action_plans import MAX_FCFA
from .attachments import CheckedFile, store_upload
from .mechanisms import expect_version, require_past, require_recording
from .validation import require_choice, require_text, require_whole


def _record(event_kind: str, actor, activity: MechanismActivity, **data) -> None:
    events.record(event_kind, actor=actor, mechanism_id=activity.mechanism_id,
                  commune_id=activity.mechanism.commune_id, activity_id=activity.id, **data)


@dataclass
class ActivityInput:
    held_on: date
    kind: str
    title: str
    place: str
    facilitators: str
    summary: str
    young_women: int = 0
    women: int = 0
    elder_women: int = 0
    young_men: int = 0
    men: int = 0
    elder_men: int = 0
    planned_id: int | None = None
    actual_cost: int | None = None
    # What the programme report counts: the partner credited, a women's group led or
    # supported, an advocacy session's outcome and its document, the authorities present
    # (role, sex) — never their names.
    partner_id: int | None = None
    women_groups: bool = False
    advocacy_outcome: str | None = None
    advocacy_document: str = ""
    authorities: list[tuple[str, str]] = field(default_factory=list)


def open_planned(mechanism: Mechanism) -> list[PlannedActivity]:
    """Activities of the mechanism's plans still to carry out (planned, without a record)."""
    from ..models import ActionPlan
    return list(db.session.scalars(
        select(PlannedActivity).join(ActionPlan)
        .where(ActionPlan.mechanism_id == mechanism.id, PlannedActivity.status == "planned")
        .order_by(PlannedActivity.planned_on, PlannedActivity.id)))


def _check_fields(data: ActivityInput) -> None:
    """What is checked of an activity whether it is recorded or corrected."""
    require_past(data.held_on, "held_on")
    require_choice(data.kind, ACTIVITY_KINDS, "kind")
    data.title = require_text(data.title, "title", max_length=160)
    data.place = require_text(data.place, "place", max_length=160)
    data.facilitators = require_text(data.facilitators, "facilitators", max_length=300)
    data.summary = require_text(data.summary, "summary", max_length=10000)
    for name in REACHED:
        require_whole(getattr(data, name), name)
    if not any(getattr(data, name) for name in REACHED):
        raise InvalidInput(_l("Count the people the activity reached."), field="young_women")
    if data.actual_cost is not None:
        require_whole(data.actual_cost, "actual_cost", maximum=MAX_FCFA)
    if data.partner_id is not None:
        partner = db.session.get(Partner, data.partner_id)
        if partner is None or not partner.active:
            raise InvalidInput(_l("Choose one of the values offered."), field="partner_id")
    if data.advocacy_outcome:
        require_choice(data.advocacy_outcome, ADVOCACY_OUTCOMES, "advocacy_outcome")
        if data.kind != "advocacy":
            raise InvalidInput(_l("An outcome in the PDSEC is given only for an advocacy "
                                  "session."), field="advocacy_outcome")
    data.advocacy_outcome = data.advocacy_outcome or None
    data.advocacy_document = (require_text(data.advocacy_document, "advocacy_document",
                                           max_length=300)
                              if data.advocacy_document and data.advocacy_document.strip()
                              else "")
    for role, sex in data.authorities:
        require_choice(role, AUTHORITY_ROLES, "authorities")
        require_choice(sex, MEMBER_SEXES, "authorities")


def _check(mechanism: Mechanism, data: ActivityInput) -> PlannedActivity | None:
    _check_fields(data)
    if data.planned_id is None:
        if data.actual_cost is not None:
            raise InvalidInput(_l("An actual cost is given only for an activity of a plan."),
                               field="actual_cost")
        return None
    planned = db.session.get(PlannedActivity, data.planned_id)
    if planned is None or planned.plan.mechanism_id != mechanism.id:
        raise InvalidInput(_l("Choose one of the values offered."), field="planned_id")
    if planned.status != "planned" or planned.report is not None:
        raise Conflict(_l("This activity of the plan is already done or cancelled."))
    return planned


def record_activity(actor, mechanism: Mechanism, data: ActivityInput) -> MechanismActivity:
    """Record what was done; an activity of a plan becomes done, its actual cost kept (the
    planned budget counts as spent when none is given)."""
    require_recording(actor, mechanism.commune_id)
    planned = _check(mechanism, data)
    activity = MechanismActivity(
        mechanism=mechanism, planned=planned, held_on=data.held_on, kind=data.kind,
        title=data.title, place=data.place, facilitators=data.facilitators,
        summary=data.summary, created_by_id=actor.id,
        **{name: getattr(data, name) for name in (*REACHED, *REPORTED_FIELDS)})
    activity.advocacy_document = data.advocacy_document or None
    activity.authorities = [AuthorityPresent(role=role, sex=sex)
                            for role, sex in data.authorities]
    db.session.add(activity)
    if planned is not None:
        planned.status, planned.actual_cost = "done", data.actual_cost
    db.session.flush()
    _record("mechanism.activity_recorded", actor, activity, kind=activity.kind,
            planned_id=data.planned_id, actual_cost=data.actual_cost,
            **{name: getattr(activity, name) for name in REACHED})
    return activity


# What the programme report reads of an activity, beside the people reached.
REPORTED_FIELDS = ("partner_id", "women_groups", "advocacy_outcome")
ACTIVITY_FIELDS = ("held_on", "kind", "title", "place", "facilitators", "summary", *REACHED,
                   *REPORTED_FIELDS)


def update_activity(actor, activity: MechanismActivity, data: ActivityInput, *,
                    version: int | None = None) -> None:
    """Correct an activity already recorded: its date, place, kind, facilitators, the people
    it reached, its summary and, for an activity of a plan, its actual cost. The activity of
    the plan it carries out stays the same; the authorities' appreciations are left as they
    are."""
    require_recording(actor, activity.mechanism.commune_id)
    expect_version(activity, version)
    _check_fields(data)
    planned = activity.planned
    if planned is None and data.actual_cost is not None:
        raise InvalidInput(_l("An actual cost is given only for an activity of a plan."),
                           field="actual_cost")
    changed = [name for name in ACTIVITY_FIELDS
               if getattr(activity, name) != getattr(data, name)]
    for name in ACTIVITY_FIELDS:
        setattr(activity, name, getattr(data, name))
    if (activity.advocacy_document or "") != data.advocacy_document:
        changed.append("advocacy_document")
        activity.advocacy_document = data.advocacy_document or None
    present = sorted((a.role, a.sex) for a in activity.authorities)
    if present != sorted(data.authorities):
        changed.append("authorities")
        activity.authorities = [AuthorityPresent(role=role, sex=sex)
                                for role, sex in data.authorities]
    if planned is not None and planned.actual_cost != data.actual_cost:
        changed.append("actual_cost")
        planned.actual_cost = data.actual_cost
        # The cost lives on the plan's row: the activity's row is written anyway, so that its
        # version moves on and a form opened before this change gets a 409.
        flag_modified(activity, "summary")
    # Field names and figures only: the facilitators' names and the summary stay out.
    _record("mechanism.activity_corrected", actor, activity, changed=changed,
            kind=activity.kind, actual_cost=data.actual_cost if planned else None,
            **{name: getattr(activity, name) for name in REACHED})
    db.session.flush()


# -- files -----------------------------------------------------------------------------------

def require_adding_file(actor, activity: MechanismActivity, kind: str) -> None:
    require_recording(actor, activity.mechanism.commune_id)
    require_choice(kind, ACTIVITY_FILE_KINDS, "kind")


def add_file(actor, activity: MechanismActivity, upload: CheckedFile,
             kind: str) -> ActivityFile:
    """A photo, an attendance sheet or a report, checked already (services/attachments.py:
    its type read from its content, images re-encoded without the phone's position): the bytes
    under a random name, and the row."""
    require_adding_file(actor, activity, kind)
    file = store_upload(ActivityFile(activity=activity, kind=kind), actor, upload)
    _record("mechanism.file_added", actor, activity, file_id=file.id, kind=kind,
            content_type=file.content_type, size=file.size)
    return file


def record_download(actor, file: ActivityFile) -> None:
    activity = file.activity
    if not access.can(actor, "view_mechanism", commune_id=activity.mechanism.commune_id):
        raise NotPermitted(_l("You cannot see the files of this mechanism."))
    _record("mechanism.file_downloaded", actor, activity, file_id=file.id,
            content_type=file.content_type)


# -- appreciations ---------------------------------------------------------------------------

def appreciation_of(actor, activity: MechanismActivity) -> Appreciation | None:
    return next((a for a in activity.appreciations if a.user_id == actor.id), None)


def save_appreciation(actor, activity: MechanismActivity, *, rating, comment: str,
                      version: int | None = None) -> Appreciation:
    """The actor's own appreciation of the activity, recorded or changed by them alone."""
    commune_id = activity.mechanism.commune_id
    if not access.can(actor, "appreciate", commune_id=commune_id):
        raise NotPermitted(_l("Only the mayor and the traditional leaders of the commune give "
                              "their appreciation of an activity."))
    if rating not in RATINGS:
        raise InvalidInput(_l("Choose one of the values offered."), field="rating")
    comment = require_text(comment, "comment", max_length=2000)
    mine = appreciation_of(actor, activity)
    if mine is None:
        held = access.roles_in(actor, commune_id)
        role = next(r for r in access.LOCAL_AUTHORITIES if r in held)
        mine = Appreciation(activity=activity, user_id=actor.id, role=role, rating=rating,
                            comment=comment)
        db.session.add(mine)
        db.session.flush()
        _record("mechanism.appreciation_given", actor, activity, appreciation_id=mine.id,
                role=role, rating=rating)
        return mine
    if not access.may_change_appreciation(actor, mine):
        raise NotPermitted(_l("Only its author changes an appreciation."))
    expect_version(mine, version)
    before = mine.rating
    mine.rating, mine.comment = rating, comment
    db.session.flush()
    _record("mechanism.appreciation_changed", actor, activity, appreciation_id=mine.id,
            role=mine.role, from_rating=before, rating=rating)
    return mine
