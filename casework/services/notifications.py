"""Who is told what by message: `collect(now)` turns what waits for each person into outbox rows.

It reads the sources of "Mon travail" (queries/worklist.py), person by person, so that a
message never tells of something the list does not show:
- `signoff_awaited`: everyone of the case's commune whose role the pending proposal awaits
  (its definition's `signoffs`), until they sign (the same rule as the sign-off button);
- `signoff_reminder`: the same people, once, when the proposal is still unsigned after its
  transition's `reminder_days` (the workflow definition);
- `signoff_escalated`: the coordinators of the case's commune, once, when it is still unsigned
  after the transition's `escalation_days`;
- `follow_up_due`: a follow-up visit due within FOLLOW_UP_NOTICE_DAYS (or late): the case's
  team, who make the visit;
- `past_time_limit`: a case past its state's `sla_days`: the case's team (the commune's
  mediators while it has no team) and the coordinators of its commune;
and, at the moment of the change, in the same transaction:
- `proposal_rejected`: the proposer and the case's team (`tell_proposal_rejected`, called by
  services/signoffs.py);
- `removed_from_team`: the person taken off a case's team (`tell_removed_from_team`, called by
  services/team.py);
- `referral_answered`: who referred the case and its team, when the service accepts,
  declines or records the outcome (`tell_referral_answered`, called by services/referrals.py).
Each reason gives one row per channel the person can be reached on (an e-mail address, a
phone number with an SMS gateway configured) and has not turned off on their account page
(`NotificationPreference`); the unique dedupe key makes a second `collect` of the same reason
write nothing. People with neither are told in the app only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from .. import access
from ..clock import clock_at, local_today, utcnow
from ..errors import InvalidInput, NotPermitted
from ..extensions import db
from ..models import Case, Notification, NotificationPreference, User
from ..models.notification import CHANNELS
from ..notifications import messages
from ..notifications.outbox import configured_channels
from ..queries import worklist
from ..queries.milestones import due_by
from ..vocabulary import MESSAGE_KINDS
from ..workflow_registry import workflow_of
from . import events

FOLLOW_UP_NOTICE_DAYS = 3
# Per person and kind: far more than anyone has waiting; the oldest come first.
LIMIT = 500
# The kinds a person may turn off, by channel, on their account page (in this order).
CHOOSABLE = tuple(MESSAGE_KINDS)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reason:
    kind: str
    case: Case
    detail: str  # what, in the case, waits: a proposal, a milestone, a stay in a state
    proposal_id: int | None = None
    due: date | None = None
    days: str = ""
    answer: str = ""  # a referral's status, for `referral_answered`


def _unsigned_for(item: worklist.Item, days_of) -> bool:
    """Whether the item's pending proposal has waited `days_of(transition)` days by now."""
    proposal = item.case.pending_proposal
    days = days_of(workflow_of(item.case).transition(proposal.trigger))
    return bool(days) and utcnow() >= proposal.proposed_at + timedelta(days=days)


def reasons_for(user: User) -> list[Reason]:
    """What waits for `user` that a message tells about (see the module's docstring)."""
    found = []
    for item in worklist.items_of("signoff_awaited", user, LIMIT):
        proposal_id = item.case.pending_proposal.id
        found.append(Reason("signoff_awaited", item.case, item.key, proposal_id=proposal_id))
        if _unsigned_for(item, lambda t: t.reminder_days):
            found.append(Reason("signoff_reminder", item.case, item.key,
                                proposal_id=proposal_id))
    for item in worklist.items_of("signoff_late", user, LIMIT):
        days = workflow_of(item.case).transition(item.case.pending_proposal.trigger)
        found.append(Reason("signoff_escalated", item.case, item.key,
                            days=str(days.escalation_days)))
    soon = local_today() + timedelta(days=FOLLOW_UP_NOTICE_DAYS)
    for item in worklist.items_of("follow_up_due", user, LIMIT):
        if due_by(item.case, soon) and access.can(user, "be_told_follow_up_due", item.case):
            found.append(Reason("follow_up_due", item.case, item.key, due=item.due,
                                days=item.key.rpartition("d")[2]))
    for item in worklist.items_of("past_time_limit", user, LIMIT):
        if access.can(user, "be_told_past_time_limit", item.case):
            found.append(Reason("past_time_limit", item.case, item.key, due=item.due))
    return found


def dedupe_key(reason: Reason, channel: str, user: User) -> str:
    return f"{reason.kind}:{reason.case.id}:{reason.detail}:{channel}:{user.id}"


def send_failed_again(actor: User, user: User) -> int:
    """The messages to `user` that failed, back in the outbox to be sent at once (once their
    address is corrected): an administrator's act. Returns how many."""
    if not access.can(actor, "administer"):
        raise NotPermitted(_l("Only an administrator sends failed messages again."))
    rows = list(db.session.scalars(select(Notification).where(
        Notification.user_id == user.id, Notification.status == "failed")))
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = "pending", 0, utcnow()
    events.record("admin.messages_sent_again", actor=actor, user_id=user.id, count=len(rows))
    db.session.flush()
    return len(rows)


def _reachable_users(channels: list[str]) -> list[User]:
    contact = []
    if "email" in channels:
        contact.append(User.email.is_not(None))
    if "sms" in channels:
        contact.append(User.phone.is_not(None))
    if not contact:
        return []
    return list(db.session.scalars(
        select(User).where(User.active.is_(True), User.is_admin.is_(False), or_(*contact))
        .order_by(User.id)))


def _channels_of(user: User, channels: list[str]) -> list[str]:
    return [c for c in channels if (user.email if c == "email" else user.phone)]


def turned_off(user: User) -> set[tuple[str, str]]:
    """The (kind, channel) pairs `user` chose not to receive."""
    return {(kind, channel) for kind, channel in db.session.execute(
        select(NotificationPreference.kind, NotificationPreference.channel)
        .where(NotificationPreference.user_id == user.id,
               NotificationPreference.wanted.is_(False)))}


def _wanted(user: User, kind: str, channels: list[str], off=None) -> list[str]:
    off = turned_off(user) if off is None else off
    return [c for c in _channels_of(user, channels) if (kind, c) not in off]


def set_choices(actor: User, wanted: set[tuple[str, str]]) -> None:
    """Record which (kind, channel) messages `actor` wants; the others are turned off."""
    unknown = [pair for pair in wanted if pair[0] not in CHOOSABLE or pair[1] not in CHANNELS]
    if unknown:
        raise InvalidInput(_l("Choose among the messages listed."), field="wanted")
    rows = {(r.kind, r.channel): r for r in db.session.scalars(
        select(NotificationPreference).where(NotificationPreference.user_id == actor.id))}
    for kind in CHOOSABLE:
        for channel in CHANNELS:
            choice = (kind, channel) in wanted
            row = rows.get((kind, channel))
            if row is None:
                db.session.add(NotificationPreference(user_id=actor.id, kind=kind,
                                                      channel=channel, wanted=choice))
            elif row.wanted != choice:
                row.wanted = choice
    events.record("account.messages_chosen", actor=actor,
                  turned_off=sorted(f"{k}:{c}" for k in CHOOSABLE for c in CHANNELS
                                    if (k, c) not in wanted))
    db.session.flush()


def collect(now: datetime) -> list[Notification]:
    """Add an outbox row for each reason and channel not yet written; returns the new rows
    (flushed, not committed). A row that a concurrent `collect` wrote first is skipped."""
    channels = configured_channels()
    added = []
    with clock_at(now):
        for user in _reachable_users(channels):
            wanted, off = {}, turned_off(user)
            for reason in reasons_for(user):
                for channel in _wanted(user, reason.kind, channels, off):
                    wanted[dedupe_key(reason, channel, user)] = (reason, channel)
            if not wanted:
                continue
            known = set(db.session.scalars(select(Notification.dedupe_key).where(
                Notification.dedupe_key.in_(sorted(wanted)))))
            for key, (reason, channel) in wanted.items():
                if key not in known:
                    row = _queue(user, reason, channel, key, now)
                    if row is not None:
                        added.append(row)
    return added


def _queue(user: User, reason: Reason, channel: str, key: str, now: datetime):
    facts = messages.facts_of(reason.kind, reason.case, proposal_id=reason.proposal_id,
                              due=reason.due, days=reason.days, answer=reason.answer,
                              language=user.language)
    try:
        message = messages.compose(reason.kind, channel, reason.case, facts, user.language)
    except messages.IdentityLeak:
        log.error("notification refused: case %s, %s would name a party", reason.case.id,
                  reason.kind)
        return None
    row = Notification(user_id=user.id, case_id=reason.case.id, channel=channel,
                       kind=reason.kind, dedupe_key=key, subject=message.subject,
                       body=message.body, status="pending", attempts=0, next_attempt_at=now,
                       created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # another collect wrote the same reason first
        return None
    return row


def tell_removed_from_team(case: Case, removed: list[User], event_id: int) -> list[Notification]:
    """An outbox row for each person taken off the case's team by the change `event_id` (its
    `case.team_assigned` event), on each channel they can be reached on (none for an account
    disabled since); flushed, not committed."""
    # Removed, added back and removed again: told each time.
    return _tell(removed, Reason("removed_from_team", case, f"e{event_id}"))


def tell_proposal_rejected(proposal) -> list[Notification]:
    """An outbox row for the proposer and each member of the case's team, on each channel they
    can be reached on and want, saying that the proposal was rejected (never the comment);
    flushed, not committed."""
    case = proposal.case
    people = {proposal.proposed_by_id: proposal.proposed_by}
    people.update((member.user_id, member.user) for member in case.team)
    return _tell(people.values(), Reason("proposal_rejected", case, f"p{proposal.id}"))


def tell_referral_answered(referral, event_id: int) -> list[Notification]:
    """An outbox row for who referred the case and each member of its team, saying that the
    service answered (accepted, declined, or recorded its outcome; never what it wrote);
    flushed, not committed."""
    case = referral.case
    people = {referral.referred_by_id: referral.referred_by}
    people.update((member.user_id, member.user) for member in case.team)
    return _tell(people.values(), Reason("referral_answered", case, f"e{event_id}",
                                         answer=referral.status))


def _tell(people, reason: Reason) -> list[Notification]:
    now, channels, added = utcnow(), configured_channels(), []
    for user in people:
        if not user.active or user.is_admin:
            continue
        for channel in _wanted(user, reason.kind, channels):
            row = _queue(user, reason, channel, dedupe_key(reason, channel, user), now)
            if row is not None:
                added.append(row)
    return added
