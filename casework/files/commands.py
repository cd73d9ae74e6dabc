"""flask remove-orphan-files (files that no row names, left by a crash) and flask move-files
(from one storage to the other, before changing PALABRE_FILE_STORAGE)."""
from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from sqlalchemy import select, union

from ..clock import filesystem_now
from ..extensions import db
from ..models import ActivityFile, Attachment
from . import store

# An upload writes its file, then commits its row a moment later: younger files are left.
GRACE = timedelta(hours=1)


def _named_by_rows():
    """The stored names every row of an uploaded file carries, as one SELECT."""
    return union(*(select(model.stored_name) for model in (Attachment, ActivityFile)))


@click.command("remove-orphan-files")
@click.option("--dry-run", is_flag=True, help="List the files, remove nothing.")
def remove_orphan_files(dry_run):
    """Remove the stored files that no row names; run it from cron, daily. In a directory, a
    process killed between writing a file and committing its row leaves one; in the database,
    only a row deleted by hand does."""
    if current_app.config["FILE_STORAGE"] == "database":
        found = store.backend().remove_orphans(_named_by_rows(), dry_run)
        db.session.commit()
    else:
        known = set(db.session.scalars(_named_by_rows()))
        db.session.rollback()
        found = store.backend().remove_orphans(
            known, filesystem_now() - GRACE.total_seconds(), dry_run)
    click.echo(f"{found} orphan file(s) {'found' if dry_run else 'removed'}.")


@click.command("move-files")
@click.option("--to", "target", required=True, type=click.Choice(sorted(store.BACKENDS)),
              help="Where the files go.")
def move_files(target):
    """Copy every stored file to the other storage (each file committed on its own, so that
    it can be run again after an interruption); then set PALABRE_FILE_STORAGE to the same and
    restart the app servers. The files stay where they were until you remove them."""
    source = next(name for name in store.BACKENDS if name != target)
    there = store.backend(target).names()
    wanted = sorted(set(db.session.scalars(_named_by_rows())) - there)
    moved = missing = 0
    for name in wanted:
        try:
            with store.backend(source).open_file(name) as stored:
                data = stored.read()
        except FileNotFoundError:
            missing += 1
            continue
        store.backend(target).write(db.session, name, data)
        db.session.commit()
        moved += 1
    click.echo(f"{moved} file(s) copied to the {target}, {len(there)} already there"
               + (f", {missing} missing from the {source}." if missing else "."))


def init_app(app) -> None:
    from ..cli import add_commands
    add_commands(app, remove_orphan_files, move_files)
