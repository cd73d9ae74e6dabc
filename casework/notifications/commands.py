"""flask commands: send-notifications (for cron) and notifications-worker (with REDIS_URL)."""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from ..clock import utcnow
from ..database import write_intent
from ..extensions import db
from . import outbox


@click.command("send-notifications")
@with_appcontext
def send_notifications():
    """Write the messages of what waits for whom, then send those due (run it from cron)."""
    from ..services.notifications import collect

    token = write_intent.set(True)
    try:
        now = utcnow()
        queued = len(collect(now))
        db.session.commit()
        outcome = outbox.deliver(now)
    finally:
        write_intent.reset(token)
    click.echo(f"queued {queued}, sent {outcome.sent}, failed {outcome.failed}, "
               f"retry later {outcome.retry}")


@click.command("notifications-worker")
@click.option("--once", is_flag=True, help="One sweep and one wait on the queue, then stop.")
@click.option("--max-iterations", type=int, default=None,
              help="Stop after this many waits on the queue (default: run until stopped).")
@click.option("--block-seconds", type=int, default=5, show_default=True,
              help="How long one wait on the queue lasts.")
@click.option("--sweep-seconds", type=int, default=60, show_default=True,
              help="How often new messages are written and retries queued.")
@with_appcontext
def notifications_worker(once, max_iterations, block_seconds, sweep_seconds):
    """Send notifications as the Redis queue (REDIS_URL) names them."""
    from . import queue

    if not current_app.config.get("REDIS_URL"):
        click.echo("Error: REDIS_URL is not set; use `flask send-notifications` from cron.",
                   err=True)
        sys.exit(1)
    token = write_intent.set(True)
    try:
        totals = queue.work(max_iterations=1 if once else max_iterations,
                            block_seconds=block_seconds, sweep_seconds=sweep_seconds)
    finally:
        write_intent.reset(token)
    click.echo(f"queued {totals['queued']}, sent {totals['sent']}, failed {totals['failed']}, "
               f"retry later {totals['retry']}")


def init_app(app: Flask) -> None:
    app.cli.add_command(send_notifications)
    app.cli.add_command(notifications_worker)
