"""One load connection: a browser's cookie jar over http.client (standard library, light enough
that the client leaves the two cores to the server), signing in through the real forms.

Every request has a timeout. A redirect is an answer, not followed: the caller asks the next
page as a browser would, so that each request is timed on its own.
"""
from __future__ import annotations

import http.client
import re
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

import pyotp

from bench.people import TOTP_SECRET
from casework.clock import epoch_seconds

TIMEOUT = 10
HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="([^"]*)"')


@dataclass
class Answer:
    status: int
    body: bytes
    location: str | None
    seconds: float

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400

    def hidden(self) -> dict[str, str]:
        """The hidden fields of the page's forms (csrf_token, version): what a submit sends."""
        fields = {}
        for tag in HIDDEN.findall(self.body.decode(errors="replace")):
            name, value = NAME.search(tag), VALUE.search(tag)
            if name:
                fields[name.group(1)] = value.group(1) if value else ""
        return fields


class Browser:
    """One connection's cookies and requests to `base_url` (http://127.0.0.1:port)."""

    def __init__(self, base_url: str, cookies: dict[str, str] | None = None):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)

    def copy(self) -> Browser:
        """Another connection starting from this one's cookies, as a second tab would."""
        return Browser(f"http://{self.host}:{self.port}", self.cookies)

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        """One request, timed from sending to the last byte of the body; status 0 when it
        failed (refused, reset, timed out)."""
        headers = {"User-Agent": "palabre-bench", "Accept-Language": "fr"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new one
            return Answer(0, b"", None, time.perf_counter() - started)
        seconds = time.perf_counter() - started
        self.keep(response.headers.get_all("Set-Cookie") or [])
        if response.will_close:
            self.connection.close()
        return Answer(response.status, data, response.headers.get("Location"), seconds)

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, form)

    def keep(self, headers: list[str]) -> None:
        """Store each cookie set, forget each one expired (as a logout's)."""
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or _expired(morsel["expires"]):
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def submit(self, path: str, **typed) -> Answer:
        """Open the form at `path`, then send it with its hidden fields and `typed`."""
        page = self.get(path)
        if page.status != 200:
            return page
        return self.post(path, {**page.hidden(), **typed})

    def sign_in(self, username: str, password: str) -> None:
        """Through /login, then /login/code with the bench's TOTP secret when it asks one."""
        answer = self.submit("/login", username=username, password=password)
        if answer.status == 302 and urlsplit(answer.location or "").path == "/login/code":
            # A code is accepted once: when a run a moment ago took this one, the next step's
            # (accepted a step ahead) is the one to type.
            for ahead in (0, 30):
                code = pyotp.TOTP(TOTP_SECRET).at(epoch_seconds() + ahead)
                answer = self.submit("/login/code", code=code)
                if answer.status != 401:
                    break
        if answer.status != 302 or urlsplit(answer.location or "").path.startswith("/login"):
            raise RuntimeError(f"{username} could not sign in: {answer.status} "
                               f"{answer.location} {answer.body[:300]!r}")


def _expired(expires: str) -> bool:
    if not expires:
        return False
    try:
        return parsedate_to_datetime(expires).timestamp() < epoch_seconds()
    except (TypeError, ValueError):
        return False
