"""A stream of case work over HTTP, as a commune's team does it all day: report, assign the team,
start the mediation, log a step, propose the agreement, mayor's and chief's sign-offs, again.
Each acknowledged change (a 302) is remembered, to check later that none was lost."""
from __future__ import annotations

import http.client
import itertools
import threading
from collections import Counter

from sqlalchemy import func, select

from casework.clock import local_today
from casework.models import Case, Event
from tests.functional.test_lifecycle import intake

from .browser import Browser

# Each conflict of the stream is a distinct one: the intake asks about a look-alike of the
# last hours (casework/queries/duplicates.py) before it opens a second case.
_conflicts = itertools.count(1)


class ServerGone(Exception):
    """The server stopped answering (killed): the stream ends there."""


class Stream(threading.Thread):
    def __init__(self, base_url: str, mediator: str, mediator_id: int, commune, stop):
        super().__init__(daemon=True)
        self.base_url, self.mediator, self.mediator_id = base_url, mediator, mediator_id
        self.commune, self.stop = commune, stop
        self.acknowledged: Counter = Counter()  # (reference, event kind) -> 302s seen
        self._lock = threading.Lock()
        self.unexpected: list[tuple[str, object]] = []  # answers other than 302 while alive
        self.cut = False  # True when the kill broke one of its requests

    def run(self) -> None:
        try:
            me = Browser(self.base_url).sign_in(self.mediator)
            mayor = Browser(self.base_url).sign_in("maire")
            chief = Browser(self.base_url).sign_in("chef")
            while not self.stop.is_set():
                self.one_case(me, mayor, chief)
        except (OSError, http.client.HTTPException, ServerGone):
            self.cut = True  # the server was killed mid-request
        except Exception as error:  # noqa: BLE001 - a refused sign-in, a bug: the test fails
            self.unexpected.append(("error", repr(error)))

    def change(self, browser: Browser, path: str, kind: str, reference: str | None, /,
               **typed):
        page = browser.get(path)
        if page.status != 200:
            self.unexpected.append((path, page.status))
            raise ServerGone
        answer = browser.post(path, {**page.hidden, **typed})
        if answer.status != 302:
            self.unexpected.append((path, answer.status))
            raise ServerGone
        reference = reference or answer.location.rsplit("/", 1)[1]
        with self._lock:
            self.acknowledged[(reference, kind)] += 1
        return reference

    def snapshot(self) -> Counter:
        """The changes acknowledged so far (a copy, safe while the stream runs)."""
        with self._lock:
            return Counter(self.acknowledged)

    def one_case(self, me: Browser, mayor: Browser, chief: Browser) -> None:
        today = local_today().isoformat()
        n = next(_conflicts)
        ref = self.change(me, "/cases/new", "case.reported", None, **intake(
            self.commune, village=f"Faragouaran {n}",
            description=f"Des bœufs ont dévasté le champ de coton n° {n}."))
        case = f"/cases/{ref}"
        self.change(me, f"{case}/team", "case.team_assigned", ref, members=[self.mediator_id])
        self.change(me, f"{case}/actions/start_mediation", "case.transition", ref)
        self.change(me, f"{case}/steps/new", "case.step_logged", ref, step_date=today,
                    kind="joint_session", place="Vestibule", women="1", men="2",
                    young_women="0", young_men="0", summary="Les parties sont entendues.")
        self.change(me, f"{case}/actions/resolve", "case.proposed", ref,
                    agreement_text="Le champ est partagé.")
        proposal = self._pending_proposal(mayor, case)
        for signer in (mayor, chief):
            self.change(signer, f"{case}/proposals/{proposal}/sign-off", "case.signed_off",
                        ref, decision="approve", comment="Vu.")

    @staticmethod
    def _pending_proposal(browser: Browser, case: str) -> str:
        page = browser.get(case)
        marker = page.body.split("/proposals/", 1)
        if page.status != 200 or len(marker) < 2:
            raise ServerGone
        return marker[1].split("/", 1)[0]


def missing(session, acknowledged: Counter) -> list[str]:
    """Acknowledged changes the database does not hold (empty when nothing was lost)."""
    lost = []
    for (reference, kind), seen in acknowledged.items():
        stored = session.scalar(select(func.count()).select_from(Event).join(Case).where(
            Case.reference == reference, Event.kind == kind))
        if stored < seen:
            lost.append(f"{reference} {kind}: {seen} acknowledged, {stored} stored")
    return lost
