"""In the app: "Mon travail (n)" in the menu of every page counts what waits, every item of the
page's sections (the same sources, the same SQL), for everyone, with or without an address."""
import re

import pytest

from casework.extensions import db
from casework.queries.worklist import my_work, waiting_count
from casework.services import signoffs
from tests.functional.pages import text

MENU = re.compile(r"Mon travail(?: \((\d+)\))?</a>")


def menu_count(app, login, user, path="/cases"):
    page = login(user, app.test_client()).get(path).get_data(as_text=True)
    found = MENU.search(page)
    assert found, "the menu names Mon travail"
    return int(found.group(1) or 0)


@pytest.fixture
def busy(people, secret_case):
    """A proposal awaiting mayor and chief, two visits due, two cases past their time limit."""
    secret_case("proposed")
    secret_case("resolved", days_ago=28)
    secret_case("resolved", days_ago=40)
    secret_case("in_mediation", days_ago=70)
    secret_case("reported", days_ago=20)
    secret_case("resolved", days_ago=5)  # nothing due yet
    # Early in January most of these were taken on last year: no target, whatever the date.
    people.commune.case_target = 0
    db.session.commit()
    return people


@pytest.mark.parametrize("role, expected", [
    # two visits (team), two cases past their limit, one without a team, one idle
    ("mediator", {"follow_up_due": 2, "past_time_limit": 2, "unassigned": 1, "idle": 1}),
    ("mayor", {"signoff_awaited": 1}),
    ("chief", {"signoff_awaited": 1}),
    ("coordinator", {"past_time_limit": 2, "unassigned": 1}),  # the commune's late cases
])
def test_the_menu_counts_what_the_page_lists(app, login, busy, role, expected):
    user = getattr(busy, role)
    work = my_work(user)
    assert {s.name: s.count for s in work.sections} == expected
    assert {s.name: len(s.items) for s in work.sections} == expected
    expected = sum(expected.values())
    assert waiting_count(user) == expected
    assert menu_count(app, login, user) == expected
    assert menu_count(app, login, user, "/") == expected
    assert f"Mon travail ({expected})" in text(login(user, app.test_client()).get("/"))


def test_signing_takes_it_off_the_count(app, login, people, secret_case):
    case = secret_case("proposed")
    assert menu_count(app, login, people.mayor) == 1
    signoffs.sign_off(people.mayor, case.pending_proposal, "approve", "Bon accord.")
    db.session.commit()
    assert menu_count(app, login, people.mayor) == 0
    assert menu_count(app, login, people.chief) == 1
    assert menu_count(app, login, people.mediator) == 0  # the proposer signs nothing


def test_people_without_any_address_are_told_in_the_app(app, login, people, secret_case):
    assert people.mayor.email is None and people.mayor.phone is None
    secret_case("proposed")
    assert menu_count(app, login, people.mayor) == 1


def test_nothing_waiting_shows_no_number(app, login, people, elsewhere, secret_case):
    secret_case("proposed")
    assert menu_count(app, login, elsewhere.mayor) == 0
    page = login(elsewhere.mayor, app.test_client()).get("/cases").get_data(as_text=True)
    assert "Mon travail</a>" in page


def test_a_visit_already_made_is_not_counted(app, login, people, secret_case):
    from tests.factories import advance
    case = secret_case("resolved", days_ago=31)
    assert waiting_count(people.mediator) == 1
    advance(people, case, "visit_30")
    db.session.commit()
    assert waiting_count(people.mediator) == 0 and my_work(people.mediator).empty


def test_the_menu_follows_every_change_at_once(app, login, people, secret_case):
    """No copy of the count is kept: a page counts what waits as it is now."""
    phone = login(people.mayor, app.test_client())
    found = lambda path: int(MENU.search(phone.get(path).get_data(as_text=True)).group(1) or 0)  # noqa: E731
    assert found("/cases") == 0
    case = secret_case("proposed")  # someone else proposes an agreement meanwhile
    assert found("/cases") == 1
    assert found("/") == 1
    signoffs.sign_off(people.mayor, case.pending_proposal, "approve", "Bon accord.")
    db.session.commit()
    assert found("/cases") == 0
