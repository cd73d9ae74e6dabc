"""In the app: "Mon travail (n)" in the menu of every page counts what waits (sign-offs,
follow-up visits due, cases past their time limit), the same items as the page, for everyone,
with or without an address."""
import re

import pytest

from casework.extensions import db
from casework.queries.waiting import waiting_count
from casework.queries.worklist import my_work
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
    return people


@pytest.mark.parametrize("role, expected", [
    ("mediator", 4),  # two visits (team), two cases past their limit
    ("mayor", 3),  # the sign-off, two cases past their limit
    ("chief", 3),
    ("coordinator", 4),  # two visits and two late cases of the commune
])
def test_the_menu_counts_what_the_page_lists(app, login, busy, role, expected):
    user = getattr(busy, role)
    work = my_work(user)
    assert len(work.signoffs) + len(work.follow_ups_due) + len(work.overdue) == expected
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
    assert waiting_count(people.mediator) == len(my_work(people.mediator).follow_ups_due) == 0


def test_the_count_is_kept_a_while_and_counted_again_after_a_change_or_on_my_work(
        app, login, people, secret_case, monkeypatch):
    """Counting runs over every case of a coordinator's communes: other pages reuse the count
    for MENU_COUNT_SECONDS; "Mon travail" and any change the person makes count afresh."""
    from casework.queries import waiting
    phone = login(people.mayor, app.test_client())
    found = lambda path: int(MENU.search(phone.get(path).get_data(as_text=True)).group(1) or 0)  # noqa: E731
    assert found("/cases") == 0
    case = secret_case("proposed")  # someone else proposes an agreement meanwhile
    assert found("/cases") == 0  # kept
    assert found("/") == 1  # "Mon travail" counts afresh
    signoffs.sign_off(people.chief, case.pending_proposal, "approve", "Accepté.")
    db.session.commit()
    assert found("/cases") == 1  # kept again
    phone.post("/account/language", data={"language": "fr"})  # a change the person makes
    assert found("/cases") == 1  # still awaited from the mayor: counted, not kept
    monkeypatch.setattr(waiting, "MENU_COUNT_SECONDS", 0)  # past the while
    signoffs.sign_off(people.mayor, case.pending_proposal, "approve", "Bon accord.")
    db.session.commit()
    assert found("/cases") == 0
