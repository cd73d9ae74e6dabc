"""gzip for pages and static text files: mobile data in the field is slow and costly.

A page of HTML or a stylesheet shrinks to a quarter or less. Only text types above a few
hundred bytes are compressed, only for a browser that says it accepts gzip; a compressed
static file is kept in memory (a few kilobytes) so that it is compressed once.

BREACH (guessing a secret from compressed sizes) needs a secret repeated in every response:
the CSRF token Flask-WTF writes is signed with a timestamp, so it changes from one response to
the next, and the session cookie travels in headers, which are not compressed.
"""
from __future__ import annotations

import gzip
from functools import lru_cache

from flask import Flask, request

MIN_SIZE = 500
TYPES = ("text/", "application/json", "application/problem+json", "image/svg+xml",
         "application/javascript")


def _accepts_gzip() -> bool:
    return any(part.split(";")[0].strip().lower() == "gzip"
               for part in request.headers.get("Accept-Encoding", "").split(","))


@lru_cache(maxsize=64)
def _compressed_static(body: bytes) -> bytes:
    return gzip.compress(body, compresslevel=9, mtime=0)


def init_app(app: Flask) -> None:
    @app.after_request
    def _gzip(response):
        response.vary.add("Accept-Encoding")
        if (response.status_code < 200 or response.status_code in (204, 206, 304)
                or "Content-Encoding" in response.headers
                or not response.mimetype or not response.mimetype.startswith(TYPES)
                or not _accepts_gzip()):
            return response
        static = request.endpoint == "static"
        if response.direct_passthrough:
            if not static:
                return response  # a streamed download: leave it as it is
            response.direct_passthrough = False
        body = response.get_data()
        if len(body) < MIN_SIZE:
            return response
        response.set_data(_compressed_static(body) if static
                          else gzip.compress(body, compresslevel=6))
        response.headers["Content-Encoding"] = "gzip"
        return response
