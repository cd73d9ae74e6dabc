"""What the HTTP run's connections ask: the main pages one at a time, and a mixed day's work of
the five roles, with the mediators' writes.

`accounts` reads, from the generated database, who signs in and which cases they act on;
`main_pages` and `MIX` say what each connection does.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import quote, urlsplit

from sqlalchemy import create_engine, select

from bench.browser import Answer, Browser
from bench.load import Deadline, Tally
from bench.people import ADMINISTRATOR, COORDINATOR
from casework.clock import local_today
from casework.models import Case, Membership, TeamMember, User
from casework.vocabulary import GBV

# The mixed workload's 16 connections, by role: mostly people in the field, a few offices.
MIX = {"mediator": 5, "mayor": 3, "chief": 2, "coordinator": 4, "administrator": 2}
ROLES = tuple(MIX)


@dataclass
class Accounts:
    """Usernames by role, and the cases the busy commune's people and the mediators act on."""

    usernames: dict[str, str]
    admin_id: int
    # (mediator's username, reference): each mixed-workload mediator logs steps on their own
    # case, one connection per case (two on one case would refuse each other's versions).
    writers: list[tuple[str, str]]


def accounts(database_url: str, made: dict, writers: int) -> Accounts:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            def username(user_id: int) -> str:
                return connection.scalar(select(User.username).where(User.id == user_id))
            usernames = {"mediator": username(made["mediator_id"]),
                         "mayor": username(made["mayor_id"])}
            chief = connection.scalar(
                select(User.username).join(Membership, Membership.user_id == User.id)
                .where(Membership.commune_id == made["busy_commune_id"],
                       Membership.role == "traditional_leader").order_by(User.id))
            admin_id = connection.scalar(select(User.id).where(User.username == ADMINISTRATOR))
            rows = connection.execute(
                select(User.username, Case.reference)
                .join(TeamMember, TeamMember.user_id == User.id)
                .join(Case, Case.id == TeamMember.case_id)
                .where(Case.status == "in_mediation", Case.conflict_type != GBV,
                       Case.id != made["thirty_steps_case_id"])
                .order_by(Case.id.desc()).limit(writers * 4)).all()
    finally:
        engine.dispose()
    if admin_id is None:
        raise RuntimeError(f"no {ADMINISTRATOR!r} account: generate the data again "
                           "(older data has no administrator)")
    chosen, seen = [], set()
    for name, reference in rows:
        if reference not in seen:
            seen.add(reference)
            chosen.append((name, reference))
    if len(chosen) < writers:
        raise RuntimeError(f"only {len(chosen)} cases in mediation with a team to write on")
    return Accounts({**usernames, "chief": chief,
                     "coordinator": COORDINATOR, "administrator": ADMINISTRATOR},
                    admin_id, chosen[:writers])


def main_pages(made: dict) -> list[tuple[str, str, str]]:
    """(name, role, path) of each page measured alone."""
    commune, case = made["busy_commune_id"], made["thirty_steps_case_reference"]
    return [
        ("Mon travail", "mediator", "/"),
        ("Mon travail", "mayor", "/"),
        ("Mon travail", "coordinator", "/"),
        ("case list, one commune", "mayor", "/cases"),
        ("case list, all communes", "coordinator", "/cases?status=in_mediation&type=land"),
        ("case page (30 steps)", "coordinator", f"/cases/{case}"),
        ("dashboard, all communes", "coordinator", "/dashboard"),
        ("dashboard, one commune", "coordinator", f"/dashboard?commune={commune}"),
        ("search by party name", "coordinator", f"/cases?q={quote(made['search_party_name'])}"),
        ("CSV export, one commune", "coordinator", f"/exports/cases.csv?commune={commune}"),
    ]


class RunOver(Exception):
    """The run ended: the connection sends nothing more, even in the middle of a visit."""


@dataclass
class Worker:
    """One connection: its browser, what it does once (`visit`), and what it saw; `end`, the
    moment after which it starts no request."""

    role: str
    browser: Browser
    visit: Callable[[Worker], None]
    end: Deadline | None = None
    tally: Tally = field(default_factory=Tally)
    writes: Tally = field(default_factory=Tally)

    def ask(self, path: str, expected: int = 200) -> Answer:
        self._going_on()
        answer = self.browser.get(path)
        self.tally.add(answer.seconds, answer.status == expected,
                       f"GET {path}: {answer.status}")
        return answer

    def send(self, path: str, form: dict) -> Answer:
        self._going_on()
        return self.browser.post(path, form)

    def _going_on(self) -> None:
        if self.end is not None and self.end.passed():
            raise RunOver


def reading(path: str) -> Callable[[Worker], None]:
    def visit(worker: Worker) -> None:
        worker.ask(path)
    return visit


def browsing(paths: list[str]) -> Callable[[Worker], None]:
    """A round of pages, one after the other, as a person clicks through them."""
    def visit(worker: Worker) -> None:
        for path in paths:
            worker.ask(path)
    return visit


def logging_steps(reference: str) -> Callable[[Worker], None]:
    """A mediator's round: "Mon travail", the case, the step form, the step sent (with the
    form's fresh csrf_token and version), and the case page it leads to. A write counts as
    done only when it answers the redirect to the case."""
    case, form = f"/cases/{reference}", f"/cases/{reference}/steps/new"

    def visit(worker: Worker) -> None:
        worker.ask("/")
        worker.ask(case)
        page = worker.ask(form)
        if page.status != 200:
            return
        sent = worker.send(form, {
            **page.hidden(), "step_date": local_today().isoformat(), "kind": "joint_session",
            "place": "Mairie", "women": "2", "men": "3", "young_women": "1", "young_men": "1",
            "summary": "Séance conjointe : les deux familles ont exposé leurs positions.",
            "outcome": "Les parties acceptent de se revoir.", "next_step": "",
            "next_step_date": ""})
        done = sent.status in (302, 303) and urlsplit(sent.location or "").path == case
        what = f"POST {form}: {sent.status} {sent.location}"
        worker.tally.add(sent.seconds, done, what)
        worker.writes.add(sent.seconds, done, what)
        if done:
            worker.ask(case)
    return visit


def mixed_visits(found: Accounts, made: dict) -> dict[str, list[tuple[str, Callable]]]:
    """Per role, (username, visit) of each of its connections in the mixed workload."""
    commune, case = made["busy_commune_id"], f"/cases/{made['thirty_steps_case_reference']}"
    names = found.usernames
    return {
        "mediator": [(name, logging_steps(reference)) for name, reference in found.writers],
        "mayor": [(names["mayor"], browsing(["/", "/cases", case,
                                              f"/dashboard?commune={commune}"]))] * MIX["mayor"],
        "chief": [(names["chief"], browsing(["/", case]))] * MIX["chief"],
        "coordinator": [(names["coordinator"], browsing(
            ["/", f"/dashboard?commune={commune}", "/cases?status=in_mediation", case,
             f"/cases?q={quote(made['search_party_name'])}",
             f"/exports/cases.csv?commune={commune}", "/dashboard"]))] * MIX["coordinator"],
        "administrator": [(names["administrator"], browsing(
            ["/admin/users", f"/admin/users/{made['mayor_id']}"]))] * MIX["administrator"],
    }
