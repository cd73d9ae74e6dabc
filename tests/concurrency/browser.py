"""A person at a browser, over real HTTP (standard library only): a cookie jar, signed in through
the /login form, submitting forms with the csrf_token and version the page carried; and
`race`, which fires requests from several threads at the same moment."""
from __future__ import annotations

import html
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http.cookiejar import CookieJar
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, HTTPRedirectHandler, Request, build_opener

from tests.factories import PASSWORD
from tests.functional.pages import hidden_fields

TIMEOUT = 30


class _NoRedirect(HTTPRedirectHandler):
    def redirect_request(self, *_args, **_kwargs):
        return None  # a 302 is an answer to look at, not to follow


@dataclass
class Page:
    status: int
    body: str
    location: str | None

    @property
    def text(self) -> str:
        return html.unescape(self.body)

    @property
    def hidden(self) -> dict[str, str]:
        return hidden_fields(self.body)


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()), _NoRedirect())

    def request(self, path: str, data: dict | None = None) -> Page:
        body = urlencode(data, doseq=True).encode() if data is not None else None
        request = Request(self.base_url + path, data=body,
                          method="GET" if data is None else "POST")
        try:
            with self.opener.open(request, timeout=TIMEOUT) as answer:
                return Page(answer.status, answer.read().decode(), answer.headers["Location"])
        except HTTPError as answer:
            with answer:
                return Page(answer.code, answer.read().decode(), answer.headers["Location"])

    def get(self, path: str) -> Page:
        return self.request(path)

    def post(self, path: str, data: dict) -> Page:
        return self.request(path, data)

    def form(self, path: str, **typed) -> dict:
        """Open the form at `path` and fill it: what a submit would send."""
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        return {**page.hidden, **typed}

    def submit(self, path: str, **typed) -> Page:
        return self.post(path, self.form(path, **typed))

    def sign_in(self, username: str, password: str = PASSWORD) -> Browser:
        answer = self.submit("/login", username=username, password=password)
        assert answer.status == 302, (username, answer.status)
        return self


def race(*calls) -> list:
    """Run every call in its own thread, all released at the same moment; their results."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=TIMEOUT)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
