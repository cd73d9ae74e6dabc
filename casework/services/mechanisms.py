"""A commune's mechanism: setting it up, its members, its FFOM analyses; each change an event.

Who may do what is in casework/access.py (`record_mechanism`); the checks on what is typed
are here, whatever screen or command it came from.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import access
from ..clock import local_today
from ..errors import Conflict, InvalidInput, NotPermitted
from ..extensions import db
from ..models import FFOM_LISTS, Commune, FfomAnalysis, Mechanism, MechanismMember, Membership, User
from ..vocabulary import MECHANISM_AGE_GROUPS, MEMBER_FUNCTIONS, MEMBER_SEXES
from . import events
from .validation import require_choice, require_text, require_whole

MAX_ITEMS = 30  # per FFOM list
MAX_ITEM_LENGTH = 300
NOT_YOURS = _l("Only the mediators of the commune's reconciliation team record its mechanism.")


def expect_version(row, version: int | None) -> None:
    """Refuse a change prepared on an older version of `row` (a form opened before an edit)."""
    if version is not None and version != row.version:
        raise Conflict(_l("Someone else changed this since you opened the page. Check what "
                          "is there now, then try again."))


def require_recording(actor, commune_id: int) -> None:
    if not access.can(actor, "record_mechanism", commune_id=commune_id):
        raise NotPermitted(NOT_YOURS)


def require_past(value: date | None, name: str, *, optional: bool = False) -> date | None:
    if value is None:
        if optional:
            return None
        raise InvalidInput(_l("This field is required."), field=name)
    if value > local_today():
        raise InvalidInput(_l("This date is in the future."), field=name)
    return value


def mechanism_of(commune: Commune) -> Mechanism | None:
    return db.session.scalar(select(Mechanism).where(Mechanism.commune_id == commune.id))


def _record(event_kind: str, actor, mechanism: Mechanism, **data) -> None:
    events.record(event_kind, actor=actor, mechanism_id=mechanism.id,
                  commune_id=mechanism.commune_id, **data)


# -- the mechanism ---------------------------------------------------------------------------

def set_up_mechanism(actor, commune: Commune, *, name: str,
                     set_up_on: date | None) -> Mechanism:
    require_recording(actor, commune.id)
    if mechanism_of(commune) is not None:
        raise Conflict(_l("This commune's mechanism is already set up."))
    mechanism = Mechanism(commune=commune, name=require_text(name, "name", max_length=160),
                          set_up_on=require_past(set_up_on, "set_up_on", optional=True),
                          created_by_id=actor.id)
    db.session.add(mechanism)
    db.session.flush()
    _record("mechanism.set_up", actor, mechanism)
    return mechanism


def update_mechanism(actor, mechanism: Mechanism, *, name: str, set_up_on: date | None,
                     version: int | None = None) -> None:
    require_recording(actor, mechanism.commune_id)
    expect_version(mechanism, version)
    mechanism.name = require_text(name, "name", max_length=160)
    mechanism.set_up_on = require_past(set_up_on, "set_up_on", optional=True)
    _record("mechanism.updated", actor, mechanism)
    db.session.flush()


# -- members ---------------------------------------------------------------------------------

@dataclass
class MemberInput:
    full_name: str
    sex: str
    age_group: str
    function: str
    user_id: int | None = None
    joined_on: date | None = None
    left_on: date | None = None


def reconciliation_team(commune_id: int) -> list[User]:
    """The commune's reconciliation team: its active mediators, of whom each case's team is
    made (services/team.py)."""
    return list(db.session.scalars(
        select(User).join(Membership)
        .where(Membership.commune_id == commune_id, Membership.role == "mediator",
               User.active.is_(True))
        .order_by(User.full_name)))


def account_choices(mechanism: Mechanism) -> list[User]:
    """Accounts a member may be linked to: active people holding a role in the commune."""
    return list(db.session.scalars(
        select(User).join(Membership)
        .where(Membership.commune_id == mechanism.commune_id, User.active.is_(True),
               User.is_admin.is_(False))
        .distinct().order_by(User.full_name)))


def _check_member(mechanism: Mechanism, data: MemberInput,
                  member: MechanismMember | None) -> None:
    data.full_name = require_text(data.full_name, "full_name", max_length=160)
    require_choice(data.sex, MEMBER_SEXES, "sex")
    require_choice(data.age_group, MECHANISM_AGE_GROUPS, "age_group")
    require_choice(data.function, MEMBER_FUNCTIONS, "function")
    require_past(data.joined_on, "joined_on", optional=True)
    require_past(data.left_on, "left_on", optional=True)
    if data.joined_on and data.left_on and data.left_on < data.joined_on:
        raise InvalidInput(_l("A member cannot leave before joining."), field="left_on")
    if data.user_id is None:
        return
    if data.user_id not in {u.id for u in account_choices(mechanism)}:
        raise InvalidInput(_l("Only an account of someone who holds a role in this commune "
                              "can be linked."), field="user_id")
    taken = db.session.scalar(select(MechanismMember.id).where(
        MechanismMember.mechanism_id == mechanism.id, MechanismMember.user_id == data.user_id,
        MechanismMember.left_on.is_(None),
        MechanismMember.id != (member.id if member else -1)))
    if taken is not None:
        raise InvalidInput(_l("This account is already linked to another member."),
                           field="user_id")


def _apply(member: MechanismMember, data: MemberInput) -> None:
    member.full_name, member.sex, member.age_group = data.full_name, data.sex, data.age_group
    member.function, member.user_id = data.function, data.user_id
    member.joined_on, member.left_on = data.joined_on, data.left_on


def add_member(actor, mechanism: Mechanism, data: MemberInput) -> MechanismMember:
    require_recording(actor, mechanism.commune_id)
    _check_member(mechanism, data, None)
    member = MechanismMember(mechanism=mechanism, created_by_id=actor.id)
    _apply(member, data)
    db.session.add(member)
    db.session.flush()
    # Names stay out of the log: the member's id, sex, age group and function say enough.
    _record("mechanism.member_added", actor, mechanism, member_id=member.id, sex=member.sex,
            age_group=member.age_group, function=member.function)
    return member


def update_member(actor, member: MechanismMember, data: MemberInput, *,
                  version: int | None = None) -> None:
    mechanism = member.mechanism
    require_recording(actor, mechanism.commune_id)
    expect_version(member, version)
    _check_member(mechanism, data, member)
    _apply(member, data)
    _record("mechanism.member_updated", actor, mechanism, member_id=member.id,
            sex=member.sex, age_group=member.age_group, function=member.function,
            left=member.left_on is not None)
    db.session.flush()


# -- FFOM analyses ---------------------------------------------------------------------------

@dataclass
class AnalysisInput:
    analysed_on: date
    strengths: list[str] = field(default_factory=list)
    weaknesses: list[str] = field(default_factory=list)
    opportunities: list[str] = field(default_factory=list)
    threats: list[str] = field(default_factory=list)
    women: int = 0
    men: int = 0
    facilitator: str = ""
    notes: str = ""


def lines(text: str | None) -> list[str]:
    """The items typed one per line (a leading dash or bullet dropped, blank lines ignored)."""
    items = []
    for line in (text or "").splitlines():
        line = " ".join(line.strip().lstrip("-•*").split())
        if line:
            items.append(line)
    return items


def _check_analysis(data: AnalysisInput) -> None:
    require_past(data.analysed_on, "analysed_on")
    for name in FFOM_LISTS:
        items = getattr(data, name)
        if len(items) > MAX_ITEMS:
            raise InvalidInput(_l("At most %(n)d items.", n=MAX_ITEMS), field=name)
        if any(len(item) > MAX_ITEM_LENGTH for item in items):
            raise InvalidInput(_l("At most %(n)d characters.", n=MAX_ITEM_LENGTH), field=name)
    if not any(getattr(data, name) for name in FFOM_LISTS):
        raise InvalidInput(_l("Write at least one item of the analysis."), field="strengths")
    require_whole(data.women, "women")
    require_whole(data.men, "men")
    if data.women + data.men == 0:
        raise InvalidInput(_l("Count the people who took part."), field="women")


def _item_counts(analysis: FfomAnalysis) -> dict[str, int]:
    return {name: len(analysis.items(name)) for name in FFOM_LISTS}


def record_analysis(actor, mechanism: Mechanism, data: AnalysisInput) -> FfomAnalysis:
    require_recording(actor, mechanism.commune_id)
    _check_analysis(data)
    analysis = FfomAnalysis(
        mechanism=mechanism, analysed_on=data.analysed_on, women=data.women, men=data.men,
        facilitator=(data.facilitator or "").strip()[:160], notes=(data.notes or "").strip(),
        created_by_id=actor.id, **{name: getattr(data, name) for name in FFOM_LISTS})
    db.session.add(analysis)
    db.session.flush()
    _record("mechanism.ffom_recorded", actor, mechanism, analysis_id=analysis.id,
            women=analysis.women, men=analysis.men,
            items={name: len(getattr(data, name)) for name in FFOM_LISTS})
    return analysis


ANALYSIS_FIELDS = ("analysed_on", *FFOM_LISTS, "women", "men", "facilitator", "notes")


def update_analysis(actor, analysis: FfomAnalysis, data: AnalysisInput, *,
                    version: int | None = None) -> None:
    """Correct an analysis already recorded (a date mistyped, an item forgotten, the people
    miscounted), under the same checks as when it was recorded."""
    mechanism = analysis.mechanism
    require_recording(actor, mechanism.commune_id)
    expect_version(analysis, version)
    _check_analysis(data)
    data.facilitator = (data.facilitator or "").strip()[:160]
    data.notes = (data.notes or "").strip()
    changed = [name for name in ANALYSIS_FIELDS
               if getattr(analysis, name) != getattr(data, name)]
    before = _item_counts(analysis)
    for name in ANALYSIS_FIELDS:
        setattr(analysis, name, getattr(data, name))
    # The names of fields changed and the counts, never the items or the facilitator's name.
    _record("mechanism.ffom_corrected", actor, mechanism, analysis_id=analysis.id,
            changed=changed, women=analysis.women, men=analysis.men,
            items_before=before, items=_item_counts(analysis))
    db.session.flush()


def compare(first: FfomAnalysis, second: FfomAnalysis) -> dict[str, dict[str, list[str]]]:
    """Per list, the items only in the earlier analysis, in both, and only in the later one
    (compared without regard to case or spacing)."""
    earlier, later = sorted((first, second), key=lambda a: (a.analysed_on, a.id))

    def key(item: str) -> str:
        return " ".join(item.casefold().split())

    result = {}
    for name in FFOM_LISTS:
        before, after = earlier.items(name), later.items(name)
        after_keys, before_keys = {key(i) for i in after}, {key(i) for i in before}
        result[name] = {"gone": [i for i in before if key(i) not in after_keys],
                        "kept": [i for i in after if key(i) in before_keys],
                        "new": [i for i in after if key(i) not in before_keys]}
    return result
