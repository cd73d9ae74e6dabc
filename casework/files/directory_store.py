"""Files in a directory (FILE_STORAGE = "directory"): ATTACHMENTS_DIR, under random names,
mode 0600, written atomically. Every app server must see the same directory: one server, or a
directory they all mount.

A file written during a unit of work is kept only if that unit of work commits: a rollback,
a failed commit or a session closed without committing removes it. Only a process killed
between the write and the commit leaves a file that no row points to: harmless (nothing serves
a file without its row), and removed by `flask remove-orphan-files` (`remove_orphans`).
"""
from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app
from sqlalchemy import event
from sqlalchemy.orm import Session

# store.new_name(): secrets.token_hex(16), nothing of the person's file name.
STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
_PENDING = "palabre.new_files"
_TEMPORARY = ".upload-"


def directory() -> Path:
    return Path(current_app.config["ATTACHMENTS_DIR"])


def write(session: Session, name: str, data: bytes) -> None:
    """Write `data` under `name` (mode 0600): the bytes go to a temporary file in the same
    directory, then take their name with one os.replace, so a reader never sees half a file."""
    session.connection()  # a transaction begun, so that its end is seen (below)
    folder = directory()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=_TEMPORARY)  # created 0600
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


@event.listens_for(Session, "after_commit")
def _keep_committed_files(session, *_args):
    session.info.pop(_PENDING, None)


@event.listens_for(Session, "after_transaction_end")
def _remove_uncommitted_files(session, transaction):
    if transaction.parent is not None:  # a savepoint: the outer transaction decides
        return
    for path in session.info.pop(_PENDING, []):
        path.unlink(missing_ok=True)


def open_file(name: str) -> BinaryIO:
    """The stored file, open for reading; FileNotFoundError when it is not there. The name is
    checked, so that no path can be smuggled in."""
    if not STORED_NAME.match(name):
        raise FileNotFoundError("not a stored file name")
    return (directory() / name).open("rb")


def names() -> set[str]:
    folder = directory()
    return {path.name for path in folder.iterdir()
            if path.is_file() and STORED_NAME.match(path.name)} if folder.exists() else set()


def remove_orphans(known: set[str], written_before: float, dry_run: bool) -> int:
    """Remove the files that no row names (`known`) and temporary files, written before
    `written_before` (a timestamp: an upload in progress may not have committed yet)."""
    folder = directory()
    if not folder.exists():
        return 0
    found = [path for path in folder.iterdir()
             if path.is_file() and path.name not in known
             and (STORED_NAME.match(path.name) or path.name.startswith(_TEMPORARY))
             and path.stat().st_mtime < written_before]
    if not dry_run:
        for path in found:
            path.unlink(missing_ok=True)
    return len(found)


def copy_new_files(target: Path) -> int:
    """Copy into `target` the stored files it does not hold yet (a stored file never changes:
    its name is enough to know it is there); returns how many were copied."""
    new = names() - ({path.name for path in target.iterdir()} if target.exists() else set())
    if new:
        target.mkdir(mode=0o700, parents=True, exist_ok=True)
    copied = 0
    for name in sorted(new):
        partial = target / (_TEMPORARY + name)
        shutil.copyfile(directory() / name, partial)
        partial.chmod(0o600)
        os.replace(partial, target / name)
        copied += 1
    return copied
