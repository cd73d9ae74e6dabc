"""flask remove-orphan-files: the attachment files that no row names, left by a crash."""
from __future__ import annotations

from datetime import timedelta

import click
from sqlalchemy import select

from ..clock import filesystem_now
from ..extensions import db
from ..models import ActivityFile, Attachment
from . import store

# An upload writes its file, then commits its row a moment later: younger files are left.
GRACE = timedelta(hours=1)


@click.command("remove-orphan-files")
@click.option("--dry-run", is_flag=True, help="List the files, remove nothing.")
def remove_orphan_files(dry_run):
    """Remove the attachment files that no row names (a process killed between writing a
    file and committing its row leaves one); run it from cron, daily."""
    known = set()
    for model in (Attachment, ActivityFile):
        known.update(db.session.scalars(select(model.stored_name)))
    db.session.rollback()
    found = store.orphans(known, filesystem_now() - GRACE.total_seconds())
    for path in found:
        if not dry_run:
            path.unlink(missing_ok=True)
    click.echo(f"{len(found)} orphan file(s) {'found' if dry_run else 'removed'}.")


def init_app(app) -> None:
    from ..cli import add_commands
    add_commands(app, remove_orphan_files)
