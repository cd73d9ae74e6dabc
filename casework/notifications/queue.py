"""The Redis lists that wake the worker (REDIS_URL): outbox ids, and Kobo import job ids.

The tables stay the truth: an id in a list only says "look at this row"; the worker claims
the row as `send-notifications` does (a duplicate id is sent once; a job is run by whoever
claims it first), and its periodic sweep (collect, then queue every row due and every import
that waits or stalled) finds whatever a lost Redis message left behind.
"""
from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

import redis
from flask import current_app

from ..clock import utcnow
from ..extensions import db
from ..intake import jobs
from ..redis_link import connect
from . import outbox

DEFAULT_KEY = "palabre:notifications"
log = logging.getLogger(__name__)


def key() -> str:
    return current_app.config.get("NOTIFICATIONS_QUEUE_KEY") or DEFAULT_KEY


def push(client: redis.Redis, ids) -> None:
    if ids:
        client.lpush(key(), *[str(i) for i in ids])


def sweep(client: redis.Redis, now: datetime) -> int:
    """Write the new outbox rows, then queue every row due (new ones and retries)."""
    from ..services.notifications import collect

    collect(now)
    db.session.commit()
    outbox.mark_interrupted(now)
    due = outbox.due_ids(now)
    imports = jobs.waiting_ids()
    db.session.commit()
    push(client, due)
    if imports:
        client.lpush(jobs.queue_key(), *[str(i) for i in imports])
    return len(due)


def work(*, max_iterations: int | None = None, block_seconds: int = 5,
         sweep_seconds: int = 60, clock: Callable[[], datetime] = utcnow,
         report: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Wait on the list and send what it names; sweep every `sweep_seconds`. Runs until
    stopped, or for `max_iterations` waits (tests, `--once`)."""
    client = connect()
    totals = {"queued": 0, "sent": 0, "retry": 0, "failed": 0, "taken": 0}
    last_sweep = None
    iterations = 0
    while max_iterations is None or iterations < max_iterations:
        iterations += 1
        if last_sweep is None or time.monotonic() - last_sweep >= sweep_seconds:
            totals["queued"] += sweep(client, clock())
            last_sweep = time.monotonic()
        item = client.brpop([key(), jobs.queue_key()], timeout=block_seconds)
        if item is None:
            continue
        try:
            item_id = int(item[1])
        except ValueError:
            log.warning("worker queue: an item that is not an id was dropped")
            continue
        if item[0].decode() == jobs.queue_key():
            jobs.run(item_id)
            continue
        notification_id = item_id
        result = outbox.deliver_one(notification_id, clock())
        totals[result] += 1
        if report:
            report(result, notification_id)
    return totals
