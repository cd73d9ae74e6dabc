"""Static files under fingerprinted names, kept by browsers for a year.

`url_for('static', filename='css/palabre.css')` gives /static/css/palabre.<hash>.css, where
<hash> is the start of the file's SHA-256: a changed file gets a new name, so a phone can keep
the old one for a year without ever asking again, and a later page costs only its HTML. The
plain name still works (for a bookmark or a tool) but is only cached briefly.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Flask, abort

LONG_CACHE = "public, max-age=31536000, immutable"
SHORT_CACHE = "public, max-age=300"
HASH_LENGTH = 10
FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<hash>[0-9a-f]{%d})(?P<suffix>\.[A-Za-z0-9]+)$"
                           % HASH_LENGTH)


@lru_cache(maxsize=256)
def _digest(path: str, mtime_ns: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:HASH_LENGTH]


def fingerprint(folder: str, filename: str) -> str | None:
    """The file's current hash (recomputed when the file changes), None if it does not exist."""
    path = Path(folder) / filename
    try:
        stat = path.stat()
    except (OSError, ValueError):
        return None
    return _digest(str(path), stat.st_mtime_ns)


def fingerprinted_name(folder: str, filename: str) -> str:
    digest = fingerprint(folder, filename)
    if digest is None:
        return filename
    stem, dot, suffix = filename.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else filename


def init_app(app: Flask) -> None:
    folder = app.static_folder

    @app.url_defaults
    def _fingerprinted_url(endpoint, values):
        if endpoint == "static" and "filename" in values:
            values["filename"] = fingerprinted_name(folder, values["filename"])

    def static(filename: str):
        match = FINGERPRINTED.match(filename)
        if match:
            plain = match["stem"] + match["suffix"]
            if fingerprint(folder, plain) != match["hash"]:
                abort(404)  # an old name: the page that asked for it is itself out of date
            response = app.send_static_file(plain)
            response.headers["Cache-Control"] = LONG_CACHE
            return response
        response = app.send_static_file(filename)
        response.headers["Cache-Control"] = SHORT_CACHE
        return response

    app.view_functions["static"] = static
