"""The number of SQL queries a page runs does not grow with the data: the same count for a
few rows and for many (the benchmark in bench/ measures the time at 100,000 cases)."""
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from casework.extensions import db
from casework.services import signoffs, steps, team, transitions
from casework.services.transitions import TransitionInput
from tests.factories import step_input


@contextmanager
def counting():
    """Count the statements sent to the database while the block runs."""
    statements = []

    def count(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = db.engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.fixture
def cases_of(make_case, elsewhere):
    """cases_of(n): n cases spread over states (and one elsewhere); returns one in mediation."""
    def make(n):
        states = ["reported", "in_mediation", "resolved", "referred", "closed"]
        made = [make_case(states[i % len(states)], village=f"Village {i}") for i in range(n)]
        make_case(who=elsewhere)
        return next(c for c in made if c.status == "in_mediation")
    return make


PAGES = [
    "/cases", "/cases?commune={commune}&type=land&status=in_mediation", "/cases?q=village",
    "/cases?before=end", "/cases?q=village&status=reported&before=end",
    "/cases/{reference}", "/dashboard", "/dashboard?commune={commune}&from=2026-01-01",
    "/exports/cases.csv?commune={commune}", "/exports/dashboard.csv",
    "/dashboard/monthly?month=2026-11", "/",
]


def queries_per_page(client, login, people, case):
    login(people.coordinator)
    # The first page a person opens in a process also builds their menu's count statement
    # (queries/worklist.py keeps it): the same few statements whatever the data, once.
    assert client.get("/").status_code == 200
    counts = {}
    for page in PAGES:
        url = page.format(commune=people.commune.id, reference=case.reference)
        with counting() as statements:
            assert client.get(url).status_code == 200, url
        counts[page] = len(statements)
    return counts


def grow(people, case, second_mediator, *, steps_count, rejected):
    """Fill a case page: steps and rejected proposals by two people, then a pending one."""
    team.assign_team(people.mediator, case, [people.mediator.id, second_mediator.id])
    for index in range(steps_count - 1):  # the case already has one step
        steps.log_step((people.mediator, second_mediator)[index % 2], case, step_input())
    for index in range(rejected):
        author = (people.mediator, second_mediator)[index % 2]
        transitions.fire(author, case, "resolve", TransitionInput(agreement_text="Partage."))
        signoffs.sign_off(people.mayor, case.pending_proposal, "reject", "Pas équitable.")
    transitions.fire(people.mediator, case, "resolve", TransitionInput(agreement_text="Partage."))
    db.session.commit()


def test_queries_do_not_grow_with_the_data(client, login, people, make_user, cases_of):
    second_mediator = make_user((people.commune, "mediator"))
    case = cases_of(3)
    grow(people, case, second_mediator, steps_count=3, rejected=1)
    few = queries_per_page(client, login, people, case)
    case = cases_of(57)  # 60 in all
    grow(people, case, second_mediator, steps_count=30, rejected=4)
    many = queries_per_page(client, login, people, case)
    assert many == few



def test_the_list_of_users_does_not_load_roles_one_by_one(client, login, make_user, people):
    login(make_user(is_admin=True))
    counts = []
    for more in (0, 12):
        for _ in range(more):
            make_user((people.commune, "mediator"), (people.commune, "coordinator"))
        with counting() as statements:
            assert client.get("/admin/users").status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
