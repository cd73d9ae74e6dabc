"""Headers every response carries, and what a shared phone's browser may keep.

Palabre loads nothing from another site and runs no inline script (its only scripts are files
from 'self', for offline work): the Content Security Policy says so, and a page injected with a
script would find it refused. Pages shown to a signed-in person are never stored by the
browser's cache (phones are shared); static files are. The service worker keeps only the pages
the server marks for it (views/offline.py), and they are erased when the person leaves.
"""
from __future__ import annotations

from flask import Flask, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
))
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "geolocation=(), camera=(), microphone=()",
}
HSTS = "max-age=31536000; includeSubDomains"


def init_app(app: Flask) -> None:
    @app.after_request
    def _headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        if app.config["SESSION_COOKIE_SECURE"]:  # served over HTTPS only
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        if request.endpoint != "static" and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
