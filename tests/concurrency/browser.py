"""A person at a browser, over real HTTP (standard library only): a cookie jar, signed in through
the /login form, submitting forms with the csrf_token and version the page carried; and
`race`, which fires requests from several threads at the same moment."""
from __future__ import annotations

import html
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.message import Message
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
    data: bytes = b""  # the body as sent (a downloaded file)
    headers: Message | None = None

    @property
    def text(self) -> str:
        return html.unescape(self.body)

    @property
    def hidden(self) -> dict[str, str]:
        return hidden_fields(self.body)


class Browser:
    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = CookieJar()
        self.opener = build_opener(HTTPCookieProcessor(self.jar), _NoRedirect())

    def request(self, path: str, data: dict | None = None, file: tuple | None = None) -> Page:
        """GET, or POST `data` (with `file`, a (field, name, type, bytes), as a multipart form
        whose other fields are `data`)."""
        body, headers = urlencode(data, doseq=True).encode() if data is not None else None, {}
        if file is not None:
            body, headers["Content-Type"] = multipart(data or {}, *file)
        request = Request(self.base_url + path, data=body, headers=headers,
                          method="GET" if data is None else "POST")
        try:
            with self.opener.open(request, timeout=TIMEOUT) as answer:
                return _page(answer.status, answer)
        except HTTPError as answer:
            with answer:
                return _page(answer.code, answer)

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


def _page(status: int, answer) -> Page:
    data = answer.read()
    return Page(status, data.decode(errors="replace"), answer.headers["Location"], data,
                answer.headers)


def multipart(fields: dict, field: str, name: str, mimetype: str,
              data: bytes) -> tuple[bytes, str]:
    """A multipart/form-data body, as a browser sends a form with a file; and its type."""
    boundary = "----palabre" + secrets.token_hex(12)
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n'
             f"{value}\r\n".encode() for key, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; '
                 f'filename="{name}"\r\nContent-Type: {mimetype}\r\n\r\n'.encode()
                 + data + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def race(*calls) -> list:
    """Run every call in its own thread, all released at the same moment; their results."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait(timeout=TIMEOUT)
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))
