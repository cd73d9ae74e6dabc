"""A consistent copy of the SQLite database while the app runs (SQLite's online backup API),
and of the stored files it names."""
from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from flask import current_app

from .clock import utcnow
from .database import SQLITE_BUSY_TIMEOUT_MS


class BackupError(RuntimeError):
    """The copy could not be made, or it failed its integrity check (nothing is left behind)."""


def default_destination(directory: Path, now: datetime | None = None) -> Path:
    stamp = (now or utcnow()).strftime("%Y%m%dT%H%M%SZ")
    return directory / f"palabre-{stamp}.db"


def backup_sqlite(source: Path, destination: Path) -> int:
    """Copy `source` into `destination` in one consistent snapshot; returns the copy's size.

    The copy is written under a temporary name, checked (`PRAGMA integrity_check`), made a
    single self-contained file (no -wal beside it), then renamed into place: a half-written or
    damaged copy never carries the final name.
    """
    if not source.is_file():
        raise BackupError(f"no database file at {source}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        src = sqlite3.connect(source, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000)
        try:
            copy = sqlite3.connect(partial)
            try:
                # All pages in one step: a step-by-step copy restarts whenever the app writes
                # in between, and may never finish on a busy server. Under WAL the app's
                # writers are not blocked meanwhile.
                src.backup(copy, pages=-1)
                copy.execute("PRAGMA journal_mode = DELETE")
                verdict = copy.execute("PRAGMA integrity_check").fetchall()
            finally:
                copy.close()
        finally:
            src.close()
        if verdict != [("ok",)]:
            raise BackupError(f"the copy failed its integrity check: {verdict[:5]}")
        os.replace(partial, destination)
    except (sqlite3.Error, OSError) as error:
        raise BackupError(str(error)) from error
    finally:
        partial.unlink(missing_ok=True)
    return destination.stat().st_size


def copy_files(directory: Path) -> str:
    """After the database's copy: the stored files (casework/files/store.py). In the database,
    they are in the copy. In a directory, the files not yet copied go to `directory`/attachments
    (a stored file never changes, so the folder only grows); every file the copy names was
    committed before it was made, so it is there to copy. What was done, in a sentence."""
    if current_app.config["FILE_STORAGE"] == "database":
        return "Stored files: in the database, so in the copy."
    from .files import directory_store
    target = directory / "attachments"
    try:
        copied = directory_store.copy_new_files(target)
    except OSError as error:
        raise BackupError(f"the stored files could not be copied: {error}") from error
    return f"Stored files: {copied} new one(s) copied to {target}."
