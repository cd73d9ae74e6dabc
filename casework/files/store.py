"""Where the bytes of uploaded files live, chosen by FILE_STORAGE (PALABRE_FILE_STORAGE):

- "directory" (the default): ATTACHMENTS_DIR on this server's disk (directory_store.py). One
  app server, or several that all mount the same directory.
- "database": the `file_chunks` table (database_store.py), in the same database and the same
  transaction as the rows: every app server on one PostgreSQL serves every file, and a backup
  of the database (pg_dump, `flask backup`) holds the files.

Either way a file is stored under a random name, and stands or falls with its row.
`flask move-files --to ...` moves the files from one to the other (commands.py).
"""
from __future__ import annotations

import secrets
from pathlib import Path
from typing import BinaryIO

from flask import Flask, current_app
from sqlalchemy.orm import Session

from . import database_store, directory_store

BACKENDS = {"directory": directory_store, "database": database_store}


def backend(name: str | None = None):
    return BACKENDS[name or current_app.config["FILE_STORAGE"]]


def new_name() -> str:
    return secrets.token_hex(16)


def write(session: Session, data: bytes) -> str:
    """Store `data` under a new random name, kept only if `session` commits; the name."""
    name = new_name()
    backend().write(session, name, data)
    return name


def open_file(stored_name: str) -> BinaryIO:
    """The stored file, open for reading; FileNotFoundError when it is not there."""
    return backend().open_file(stored_name)


def check_config(app: Flask) -> None:
    """Refuse to start with an unknown storage, or with files that would be served as static
    files."""
    storage = app.config["FILE_STORAGE"]
    if storage not in BACKENDS:
        raise RuntimeError(f"PALABRE_FILE_STORAGE={storage!r} is unknown; use one of "
                           f"{', '.join(BACKENDS)}.")
    if storage != "directory":
        return
    folder = Path(app.config["ATTACHMENTS_DIR"]).resolve()
    static = Path(app.static_folder).resolve()
    if folder == static or static in folder.parents:
        raise RuntimeError(f"ATTACHMENTS_DIR ({folder}) is under the static folder ({static}): "
                           "attachments would be downloadable without any check. Choose "
                           "another directory (PALABRE_ATTACHMENTS_DIR).")
