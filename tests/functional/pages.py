"""Reading pages as a person does (text, not markup) and submitting forms as a browser does."""
from __future__ import annotations

import html
import re

HIDDEN = re.compile(r'<input[^>]*type="hidden"[^>]*>')
NAME = re.compile(r'name="([^"]+)"')
VALUE = re.compile(r'value="([^"]*)"')


# The one script a page may load: a module file of this site (static/js), never inline.
SCRIPT_FILE = re.compile(r'<script type="module" src="/static/js/[\w.-]+\.js"></script>'
                         r'|<script src="/static/js/[\w.-]+\.js" defer></script>')


def inline_script(html: str) -> bool:
    """Whether the page holds a script other than files of this site (the CSP refuses them)."""
    return "<script" in SCRIPT_FILE.sub("", html)


def hidden_fields(html: str) -> dict[str, str]:
    fields = {}
    for tag in HIDDEN.findall(html):
        name, value = NAME.search(tag), VALUE.search(tag)
        if name:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields


def submit(client, url: str, data: dict, *, follow: bool = False):
    """GET `url`, then POST `data` with the hidden fields the page carried (version, csrf)."""
    page = client.get(url)
    assert page.status_code == 200, (url, page.status_code)
    payload = {**hidden_fields(page.get_data(as_text=True)), **data}
    return client.post(url, data=payload, follow_redirects=follow)


def text(response) -> str:
    """The page with HTML entities decoded, so that tests read what a person reads."""
    return html.unescape(response.get_data(as_text=True))
