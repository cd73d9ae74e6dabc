"""Server time of the main pages on a generated programme, as ratios to a floor route.

Each request goes through the whole Flask stack in this process (routing, session, access
checks, queries, template), so the time is the server's; the network is left out on
purpose. The floor loads one user by primary key and renders a one-line template: what any
page costs at least on this machine, measured in the same run.
"""
from __future__ import annotations

import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from flask import render_template_string
from sqlalchemy import event, select

from casework import access
from casework.extensions import db
from casework.models import Case, TeamMember, User
from casework.queries.waiting import menu_count
from casework.sessions import mark_two_factor_passed, start_clock


@dataclass
class Measure:
    name: str
    times_ms: list[float] = field(default_factory=list)
    # Processor time of this thread: what the request cost the server here, without the
    # moments the virtual machine's processor was lent elsewhere (but, on PostgreSQL,
    # without the database server's own work either).
    cpu_ms: list[float] = field(default_factory=list)
    queries: int = 0
    status: int = 0

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu_ms)

    @contextmanager
    def timing(self):
        start, cpu = time.perf_counter(), time.thread_time()
        yield
        self.times_ms.append((time.perf_counter() - start) * 1000)
        self.cpu_ms.append((time.thread_time() - cpu) * 1000)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def add_floor_route(app) -> None:
    """The floor: one user by primary key, a one-line template."""
    def floor(user_id: int):
        user = db.session.get(User, user_id)
        return render_template_string("{{ user.username }}", user=user)
    app.add_url_rule("/_bench/floor/<int:user_id>", "bench_floor", floor)


@contextmanager
def counting(engine):
    statements = []

    def count(*_args):
        statements.append(1)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def signed_in(app, user_id: int):
    client = app.test_client()
    with app.app_context():
        user = db.session.get(User, user_id)
        cookie_id = user.get_id()
        with client.session_transaction() as session:
            session["_user_id"] = cookie_id
            session["_fresh"] = True
            start_clock(session)
            if user.has_two_factor:  # as the code step leaves the session
                mark_two_factor_passed(session, user)
    return client


def _timed_get(client, url: str, engine, result: Measure) -> None:
    with counting(engine) as statements, result.timing():
        response = client.get(url)
    assert response.status_code == 200, (result.name, url, response.status_code)
    result.queries, result.status = len(statements), response.status_code


def measure_get(app, name: str, client, url: str, floor_url: str, runs: int,
                warmup: int = 3) -> tuple[Measure, Measure]:
    """The page and the floor, asked by the same client in alternation, `runs` times each.

    On a shared virtual machine the speed of the processor changes from one second to the
    next; alternating the two puts both under the same conditions, so their ratio holds.
    """
    page, floor = Measure(name), Measure("floor")
    for _ in range(warmup):
        client.get(url)
        client.get(floor_url)
    with app.app_context():
        engine = db.engine
    for _ in range(runs):
        _timed_get(client, url, engine, page)
        _timed_get(client, floor_url, engine, floor)
    return page, floor


def measure_menu_count(app, name: str, user_id: int, runs: int, warmup: int = 3) -> Measure:
    """The number beside "Mon travail" as each page of the user counts it
    (queries/waiting.py), in a request of its own each time: the user loaded and their roles
    read first, as the page has read them before it draws its menu; only the count timed."""
    result = Measure(name)
    with app.app_context():
        engine = db.engine
    for index in range(warmup + runs):
        with app.test_request_context():
            user = db.session.get(User, user_id)
            access.commune_ids(user)
            if index < warmup:
                menu_count(user)
                continue
            with counting(engine) as statements, result.timing():
                menu_count(user)
            result.queries = len(statements)
    return result


def transitions_to_fire(app, count: int) -> list[tuple[int, str, int]]:
    """(mediator id, reference, version) of reported cases with a team, ready to start."""
    with app.app_context():
        rows = db.session.execute(
            select(TeamMember.user_id, Case.reference, Case.version)
            .join(Case, Case.id == TeamMember.case_id)
            .where(Case.status == "reported", Case.conflict_type != "gbv")
            .order_by(Case.id).limit(count * 3)).all()
    seen, chosen = set(), []
    for user_id, reference, version in rows:
        if reference not in seen:
            seen.add(reference)
            chosen.append((user_id, reference, version))
    return chosen[:count]


def measure_transitions(app, runs: int) -> Measure:
    """Start the mediation of `runs` different cases, each as its own team's mediator."""
    result = Measure("one transition (start mediation) (mediator)")
    with app.app_context():
        engine = db.engine
    cases = transitions_to_fire(app, runs + 2)
    if len(cases) < 3:
        raise RuntimeError("the generated data holds too few reported cases with a team")
    warm = Measure("warming up")
    for index, (user_id, reference, version) in enumerate(cases):
        client = signed_in(app, user_id)
        timed = result if index >= 2 else warm  # the first two warm the caches
        with counting(engine) as statements, timed.timing():
            response = client.post(f"/cases/{reference}/actions/start_mediation",
                                   data={"version": version})
        assert response.status_code == 302, (reference, response.status_code)
        result.queries, result.status = len(statements), response.status_code
    return result
