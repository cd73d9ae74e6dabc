"""Who is told what by message: `collect(now)` turns what waits for each person into outbox rows.

It asks the same questions as "Mon travail" (queries/worklist.py), person by person:
- a sign-off: every mayor and traditional leader whose role the pending proposal awaits, until
  they sign (the same rule as the sign-off button);
- a follow-up visit due within FOLLOW_UP_NOTICE_DAYS (or late): the case's team, who make the
  visit (coordinators see it in the app only);
- a case past its state's `sla_days`: the case's team (the commune's mediators while it has no
  team) and the coordinators of its commune, who can move it or decide about it (mayors and
  chiefs see it in the app only).
Each reason gives one row per channel the person can be reached on (an e-mail address, a
phone number with an SMS gateway configured); the unique dedupe key makes a second `collect`
of the same reason write nothing. People with neither are told in the app only.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError

from .. import access
from ..extensions import db
from ..models import Case, Notification, User, clock_at
from ..notifications import messages
from ..notifications.outbox import configured_channels
from ..queries import worklist

FOLLOW_UP_NOTICE_DAYS = 3
# Per person and kind: far more than anyone has waiting; the oldest come first.
LIMIT = 500

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reason:
    kind: str
    case: Case
    detail: str  # what, in the case, waits: a proposal, a milestone, a stay in a state
    proposal_id: int | None = None
    due: date | None = None
    days: str = ""


def reasons_for(user: User) -> list[Reason]:
    """What waits for `user` that a message tells about (see the module's docstring)."""
    found = [Reason("signoff_awaited", proposal.case, f"p{proposal.id}", proposal_id=proposal.id)
             for proposal, _roles in worklist.signoffs_awaiting(user, LIMIT)]
    for item in worklist.follow_ups_due(user, FOLLOW_UP_NOTICE_DAYS, LIMIT):
        if access.is_team_member(user, item.case):
            agreement = item.case.current_agreement
            found.append(Reason("follow_up_due", item.case, f"a{agreement.id}d{item.what}",
                                due=item.due, days=item.what))
    for item in worklist.past_time_limit(user, LIMIT):
        case = item.case
        if access.case_roles(user, case) & {access.MEDIATOR, access.COORDINATOR}:
            stay = case.status_changed_at.strftime("%Y%m%d%H%M%S")
            found.append(Reason("past_time_limit", case, f"{case.status}@{stay}", due=item.due))
    return found


def dedupe_key(reason: Reason, channel: str, user: User) -> str:
    return f"{reason.kind}:{reason.case.id}:{reason.detail}:{channel}:{user.id}"


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


def collect(now: datetime) -> list[Notification]:
    """Add an outbox row for each reason and channel not yet written; returns the new rows
    (flushed, not committed). A row that a concurrent `collect` wrote first is skipped."""
    channels = configured_channels()
    added = []
    with clock_at(now):
        for user in _reachable_users(channels):
            wanted = {}
            for reason in reasons_for(user):
                for channel in _channels_of(user, channels):
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
                              due=reason.due, days=reason.days, language=user.language)
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
