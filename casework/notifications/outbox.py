"""Sending the outbox rows that are due: claim one, send it, mark it; retry later with back-off.

A row is claimed by `UPDATE ... SET status='sending' WHERE id=? AND status='pending'`,
committed before anything is sent: of two senders (cron and worker, two workers), only the
one whose update changed the row sends it. A row that is `sent` is never sent again. A row
left in `sending` by a sender that died is not sent again either (it may have gone out): after
STUCK_AFTER it is marked failed, "interrupted", for someone to look at.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update

from ..database import write_intent
from ..extensions import db
from ..models import Notification, User
from . import email, sms

# Wait before the 2nd, 3rd, ... attempt; after the last one, the row is failed.
BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
           timedelta(hours=2), timedelta(hours=12))
MAX_ATTEMPTS = len(BACKOFF) + 1
STUCK_AFTER = timedelta(hours=1)
BATCH = 200


@dataclass
class Outcome:
    sent: int = 0
    retry: int = 0
    failed: int = 0
    taken: int = 0  # claimed by another sender first
    ids: list[int] = field(default_factory=list)

    def add(self, result: str) -> None:
        setattr(self, result, getattr(self, result) + 1)


def configured_channels() -> list[str]:
    return [name for name, module in (("email", email), ("sms", sms)) if module.configured()]


def due_ids(now: datetime, limit: int = BATCH) -> list[int]:
    """Pending rows whose time has come, on a channel this server can send."""
    channels = configured_channels()
    if not channels:
        return []
    return list(db.session.scalars(
        select(Notification.id).where(Notification.status == "pending",
                                      Notification.next_attempt_at <= now,
                                      Notification.channel.in_(channels))
        .order_by(Notification.next_attempt_at, Notification.id).limit(limit)))


def claim(notification_id: int, now: datetime) -> bool:
    """Take the row for this sender, or learn that another took it (or it is not due)."""
    claimed = db.session.execute(
        update(Notification)
        .where(Notification.id == notification_id, Notification.status == "pending",
               Notification.next_attempt_at <= now)
        # While sending, next_attempt_at says when the claim counts as interrupted.
        .values(status="sending", attempts=Notification.attempts + 1,
                next_attempt_at=now + STUCK_AFTER)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.commit()
    return claimed


def _short(error: BaseException) -> str:
    """The kind of failure, never its text (an SMTP answer may quote an address)."""
    if isinstance(error, sms.GatewayRefused):
        return f"gateway answered HTTP {error.status}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    return type(error).__name__


def _address(row: Notification, user: User) -> str | None:
    return user.email if row.channel == "email" else user.phone


def deliver_one(notification_id: int, now: datetime) -> str:
    """'sent', 'retry', 'failed' or 'taken' (another sender has it, or it is not due)."""
    # Every transaction here writes: on SQLite it begins IMMEDIATE, so that two senders queue
    # on the write lock instead of failing half-way ("database is locked").
    token = write_intent.set(True)
    try:
        return _deliver_one(notification_id, now)
    finally:
        write_intent.reset(token)


def _deliver_one(notification_id: int, now: datetime) -> str:
    if not claim(notification_id, now):
        return "taken"
    row = db.session.get(Notification, notification_id, populate_existing=True)
    user = db.session.get(User, row.user_id)
    channel, to, subject, body = row.channel, _address(row, user), row.subject, row.body
    active = user.active
    db.session.commit()  # no transaction (no SQLite write lock) held while the network answers
    error = None
    if not to or not active:
        error = "no address" if active else "account disabled"
    else:
        try:
            if channel == "email":
                email.send(to, subject, body)
            else:
                sms.send(to, body)
        except Exception as failure:  # noqa: BLE001 - any failure of one send is retried later
            error = _short(failure)
    row = db.session.get(Notification, notification_id, populate_existing=True)
    if error is None:
        row.status, row.sent_at, row.last_error = "sent", now, None
        result = "sent"
    elif row.attempts >= MAX_ATTEMPTS or error in ("no address", "account disabled"):
        row.status, row.last_error = "failed", error
        result = "failed"
    else:
        row.status, row.last_error = "pending", error
        row.next_attempt_at = now + BACKOFF[row.attempts - 1]
        result = "retry"
    db.session.commit()
    return result


def mark_interrupted(now: datetime) -> int:
    """Rows left in `sending` past STUCK_AFTER: failed, not sent again (they may have gone)."""
    count = db.session.execute(
        update(Notification)
        .where(Notification.status == "sending", Notification.next_attempt_at <= now)
        .values(status="failed", last_error="interrupted while sending; not sent again")
        .execution_options(synchronize_session=False)).rowcount
    db.session.commit()
    return count


def deliver(now: datetime, limit: int = BATCH) -> Outcome:
    """Send every row due now (at most `limit`); each is committed on its own."""
    outcome = Outcome()
    token = write_intent.set(True)
    try:
        mark_interrupted(now)
        due = due_ids(now, limit)
        db.session.commit()
    finally:
        write_intent.reset(token)
    for notification_id in due:
        outcome.add(deliver_one(notification_id, now))
        outcome.ids.append(notification_id)
    return outcome
