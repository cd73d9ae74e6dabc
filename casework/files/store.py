"""Where attachment files live: ATTACHMENTS_DIR, under random names, written atomically.

A file written during a unit of work is kept only if that unit of work commits: a rollback,
a failed commit or a session closed without committing removes it. Only a process killed
between the write and the commit leaves a file that no row points to: harmless (nothing serves
a file without its row), and removed by `flask remove-orphan-files` (orphans below).
"""
from __future__ import annotations

import os
import re
import secrets
import tempfile
from pathlib import Path

from flask import Flask, current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
_PENDING = "palabre.new_files"


def directory() -> Path:
    return Path(current_app.config["ATTACHMENTS_DIR"])


def path_of(stored_name: str) -> Path:
    """The file behind a stored name; the name is checked, so no path can be smuggled in."""
    if not STORED_NAME.match(stored_name):
        raise ValueError("not a stored attachment name")
    return directory() / stored_name


def write(session: Session, data: bytes) -> str:
    """Write `data` under a new random name (mode 0600) and return that name.

    The bytes go to a temporary file in the same directory, then take their name with one
    os.replace: a reader never sees half a file.
    """
    folder = directory()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    name = secrets.token_hex(16)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".upload-")  # created 0600
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, folder / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    session.info.setdefault(_PENDING, []).append(folder / name)
    return name


@event.listens_for(Session, "after_commit")
def _keep_committed_files(session, *_args):
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted_files(session, transaction):
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    for path in session.info.pop(_PENDING, []):
        path.unlink(missing_ok=True)


def orphans(known: set[str], written_before: float) -> list[Path]:
    """Files of the directory that no row names (`known`) and temporary files, written before
    `written_before` (a timestamp: an upload in progress may not have committed yet)."""
    folder = directory()
    if not folder.exists():
        return []
    return [path for path in folder.iterdir()
            if path.is_file() and path.name not in known
            and (STORED_NAME.match(path.name) or path.name.startswith(".upload-"))
            and path.stat().st_mtime < written_before]


def check_location(app: Flask) -> None:
    """Refuse to start when attachments would be served as static files."""
    folder = Path(app.config["ATTACHMENTS_DIR"]).resolve()
    static = Path(app.static_folder).resolve()
    if folder == static or static in folder.parents:
        raise RuntimeError(f"ATTACHMENTS_DIR ({folder}) is under the static folder ({static}): "
                           "attachments would be downloadable without any check. Choose "
                           "another directory (PALABRE_ATTACHMENTS_DIR).")
