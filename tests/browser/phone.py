"""A phone in the field, as the browser tests drive it: a 360x740 Chromium page that signs in
with the demo accounts, counts the bytes each visit transfers, refuses other hosts, measures
the layout and runs axe-core."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from casework.demo.people import DEMO_TOTP_SECRET
from casework.services.two_factor import code_at, time_step

from . import guide

DEMO_PASSWORD = "demo-palabre-2026"
# The demo accounts that sign in with a two-factor code (the demo's published secret).
TWO_FACTOR_ACCOUNTS = {"coordination", "admin", "bailleur"}
# A code is accepted once: a later test reuses the session of such an account's first
# sign-in (its cookies) instead of waiting for the next 30-second code.
_SESSIONS: dict[str, list] = {}
_AGAIN: dict[str, list] = {}  # the sessions of `sign_in(..., again=True)`
VIEWPORT = {"width": 360, "height": 740}
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
MIN_TARGET = 44  # px: a finger on a small screen

# What a person could tap or type into, seen at once (hidden inputs are not on screen).
_LAYOUT = """() => {
  const visible = (el) => { const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'; };
  const describe = (el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}` +
    `${el.name ? '[name=' + el.name + ']' : ''} ` +
    `"${(el.innerText || el.value || '').trim().slice(0, 30)}"`;
  const targets = [...document.querySelectorAll(
      'button, input[type=submit], input[type=button], a.button, select, textarea, ' +
      'input:not([type=hidden]):not([type=checkbox]):not([type=radio])')].filter(visible);
  const small = targets.filter(el => el.getBoundingClientRect().height < %d - 0.5)
    .map(el => `${describe(el)} ${Math.round(el.getBoundingClientRect().height)}px`);
  const sideBySide = [];
  for (const form of document.querySelectorAll('form')) {
    const fields = [...form.querySelectorAll('.field')].filter(visible)
                   .map(el => [el, el.getBoundingClientRect()]);
    for (let i = 0; i < fields.length; i++) for (let j = i + 1; j < fields.length; j++) {
      const [a, ra] = fields[i], [b, rb] = fields[j];
      if (ra.top < rb.bottom - 1 && rb.top < ra.bottom - 1) sideBySide.push(
        `${describe(a.querySelector('input,select,textarea') || a)} / ` +
        `${describe(b.querySelector('input,select,textarea') || b)}`);
    }
  }
  return {scrollWidth: document.scrollingElement.scrollWidth, width: window.innerWidth,
          small, sideBySide};
}""" % MIN_TARGET


# The mark of the last refresh of the kept pages forgotten (static/js/store.js); how many
# pages the server lists for the phone to keep.
_FORGET_LAST_ROUND = """async () => {
  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('palabre', 1);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error); });
  await new Promise(resolve => { const tx = db.transaction('meta', 'readwrite');
    tx.objectStore('meta').delete('warmed'); tx.oncomplete = resolve; });
  db.close();
  return (await (await fetch('/offline/session')).json()).pages.length; }"""


def current_code() -> str:
    """What an authenticator app holding the demo secret shows now."""
    return code_at(DEMO_TOTP_SECRET, time_step())


@dataclass
class Layout:
    scroll_width: int
    width: int
    small_targets: list[str]
    side_by_side: list[str]

    @property
    def scrolls_sideways(self) -> bool:
        return self.scroll_width > self.width


class Phone:
    def __init__(self, browser, base_url: str, screenshots: Path, name: str,
                 guide_images: Path | None = None):
        self.base_url = base_url
        self.host = urlsplit(base_url).netloc
        self.screenshots = screenshots
        self.guide_images = guide_images  # `make screenshots`: the user guide's images too
        self.name = name
        self.context = browser.new_context(
            viewport=VIEWPORT, is_mobile=True, has_touch=True, device_scale_factor=1,
            locale="fr-FR", timezone_id="Africa/Bamako", base_url=base_url)
        self.context.set_default_timeout(15_000)
        self.page = self.context.new_page()
        self.foreign_requests: list[str] = []
        self.status: int | None = None  # of the last visit
        self._transferred = 0
        self._counted: list[tuple[str, int]] = []
        self.warmed = 0  # bytes the service worker fetched to keep pages for offline work
        self.warm_fetches = 0
        self.context.on("request", self._check_host)
        self.context.on("requestfinished", self._count)
        self.context.on("requestfailed", self._count_warm_304)

    def _check_host(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != self.host:
            self.foreign_requests.append(request.url)

    def _count_warm_304(self, request) -> None:
        """Chromium calls the worker's 304s aborted (their answer, headers only, was taken)."""
        if request.headers.get("x-palabre-warm"):
            if request.response() is not None:
                self._count(request)
            else:
                self.warm_fetches += 1

    def _count(self, request) -> None:
        sizes = request.sizes()
        size = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        if request.headers.get("x-palabre-warm"):
            # The service worker keeping the team's pages for offline work (static/sw.js), at
            # most every ten minutes: not what opening this page costs; counted apart.
            self.warmed += size
            self.warm_fetches += 1
            return
        self._transferred += size
        self._counted.append((request.url, size))

    def visit(self, path: str) -> int:
        """Open `path` as a typed address; the bytes it transferred (compressed, with headers)."""
        self._transferred, self._counted = 0, []
        response = self.page.goto(path, wait_until="load")
        self.status = response.status if response else None
        self.page.wait_for_load_state("networkidle")
        return self._transferred

    @property
    def counted(self) -> list[tuple[str, int]]:
        """What the last visit transferred: (URL, bytes) per request."""
        return list(self._counted)

    def warm_round(self, first: bool = False) -> int:
        """The bytes of one round of the service worker keeping the pages listed for the
        signed-in person (static/sw.js), asked now as if the last were ten minutes old;
        `first`: with no page kept yet."""
        self.page.goto("/")
        seen = -1
        while seen != self.warm_fetches:  # a round the page just asked for ends first
            seen = self.warm_fetches
            self.page.wait_for_timeout(1500)
        if first:
            self.page.evaluate("caches.delete('palabre-pages')")
        listed = self.page.evaluate(_FORGET_LAST_ROUND)
        self.warmed = self.warm_fetches = 0
        self.page.reload(wait_until="load")
        for _ in range(200):
            if self.warm_fetches >= listed:
                return self.warmed
            self.page.wait_for_timeout(100)
        raise AssertionError(f"{self.warm_fetches} of {listed} pages refreshed")

    def clear_cache(self) -> None:
        """Forget every stored file, as on a phone that never opened Palabre (cookies stay)."""
        session = self.context.new_cdp_session(self.page)
        session.send("Network.clearBrowserCache")
        session.detach()

    def sign_in(self, username: str, password: str = DEMO_PASSWORD, *, again: bool = False) -> None:
        """Through the sign-in form. An account with two-factor reuses the session of its
        first sign-in in the run; with `again`, any account reuses the session an earlier
        `again` sign-in left (for a test of a page, not of signing in)."""
        kept = _SESSIONS.get(username) or (_AGAIN.get(username) if again else None)
        if kept:
            self.context.add_cookies(kept)
            self.page.goto("/")
            if "/login" not in self.page.url:
                return
            # That session ended (its idle time passed in a long run): sign in again, with
            # a code of a later 30-second step than the one it used.
            _SESSIONS.pop(username, None)
            _AGAIN.pop(username, None)
            self.context.clear_cookies()
        self.page.goto("/login")
        self.page.get_by_label("Nom d'utilisateur").fill(username)
        self.page.get_by_label("Mot de passe").fill(password)
        self.page.get_by_role("button", name="Se connecter").click()
        if username in TWO_FACTOR_ACCOUNTS:
            self.page.wait_for_url("**/login/code*")
            self.page.get_by_label("Code").fill(current_code())
            self.page.get_by_role("button", name="Se connecter").click()
        self.page.wait_for_url(lambda url: "/login" not in url)
        if username in TWO_FACTOR_ACCOUNTS:
            _SESSIONS[username] = self.context.cookies()
        elif again:
            _AGAIN[username] = self.context.cookies()

    def sign_out(self) -> None:
        signed_in = self.context.cookies()
        self.page.locator("form[action$='/logout'] button").click()  # in any language
        self.page.wait_for_url("**/login")
        for sessions in (_SESSIONS, _AGAIN):  # that session is over
            for username, cookies in list(sessions.items()):
                if cookies == signed_in:
                    del sessions[username]

    def screenshot(self, name: str | None = None, focus=None) -> Path:
        """The whole page, under `name`; with `make screenshots`, a named one also goes to the
        user guide, cut from the top of the page or of the `focus` locator."""
        path = self.screenshots / f"{name or self.name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        if self.guide_images is not None and name and not name.startswith("FAILED-"):
            top = 0 if focus is None else round(focus.first.evaluate(
                "el => el.getBoundingClientRect().top + window.scrollY"))
            guide.save(path, self.guide_images / path.name, top)
        return path

    def layout(self) -> Layout:
        data = self.page.evaluate(_LAYOUT)
        return Layout(data["scrollWidth"], data["width"], data["small"], data["sideBySide"])

    def accessibility_violations(self, impacts=("serious", "critical")) -> list[str]:
        """axe-core's serious and critical findings on the current page."""
        self.page.evaluate(AXE.read_text(encoding="utf-8"))
        found = self.page.evaluate(
            "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
            ".map(v => ({id: v.id, impact: v.impact, help: v.help,"
            " nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))")
        return [f"{v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
                for v in found if v["impact"] in impacts]

    def close(self) -> None:
        self.context.close()
