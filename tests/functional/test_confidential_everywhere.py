"""The parties' names of a confidential case show only to its team and its coordinators, on
every page and file that could carry them, whoever asks."""
from __future__ import annotations

import io
import re
import zipfile
from datetime import timedelta

import pytest

from casework import access
from casework.clock import local_today
from casework.services import cases, steps, team
from casework.services.cases import PartyInput
from tests.factories import case_input, new_case, step_input
from tests.kept import build_on, reloaded

from .pages import text

GBV_NAMES = ("Zenabou Kwatchi", "Oumou Pexrilla")
PROPOSED_NAMES = ("Bakary Quonzo", "Famille Wyxadou")
PLACE = "Concession Wyxadou"  # a step's place and next step name the family too
SECRETS = (*GBV_NAMES, *PROPOSED_NAMES, PLACE)

# Who may read the names, written from the issue (team and coordinators), not asked of access.
READERS = {"team_mediator": True, "other_mediator": False, "mayor": False, "chief": False,
           "coordinator": True, "admin": False}
# (page, the cases whose names it may show to a reader; to anyone else, never)
PAGES = [
    ("/cases", ()),
    ("/cases/{gbv}", ("gbv",)),
    ("/cases/{proposed}", ("proposed",)),
    ("/", ("proposed",)),  # "Mon travail" quotes the next step planned, which names a party
    ("/dashboard", ()),
    ("/dashboard/monthly", ()),
    ("/exports/cases.csv", ()),  # files never carry a confidential case's names
    ("/exports/cases.xlsx", ()),
    ("/exports/dashboard.csv", ()),
    ("/exports/dashboard.xlsx", ()),
]


def _confidential(people) -> dict:
    gbv = cases.report_case(people.coordinator, people.commune, case_input(
        conflict_type="gbv", parties=[PartyInput(name=n, sex="F", age_group="adult")
                                      for n in GBV_NAMES]))
    team.assign_team(people.coordinator, gbv, [people.mediator.id])
    proposed = new_case("proposed", people, parties=[
        PartyInput(name=n, sex="M", age_group="adult") for n in PROPOSED_NAMES])
    steps.log_step(people.mediator, proposed, step_input(
        place=PLACE, next_step=f"Revoir {PROPOSED_NAMES[0]}",
        next_step_date=local_today() + timedelta(days=3)))
    proposed.confidential = True
    return {"gbv": gbv, "proposed": proposed}


@pytest.fixture(scope="module")
def kept_confidential(app, module_connection, kept_town):
    """A GBV case reported by the coordinator and given a team, and a case waiting for its
    sign-offs flagged confidential by hand (no workflow takes a GBV case that far today, but
    every page decides on the flag, so the oldest-proposals list is checked too); built once
    for the module (tests/kept.py)."""
    return build_on(app, module_connection, lambda: _confidential(reloaded(kept_town).people))


@pytest.fixture
def confidential(kept_confidential):
    return reloaded(kept_confidential)


def readable(response) -> str:
    """What a person reads of the answer: the page's text, or the cells of a file."""
    if response.mimetype.endswith("spreadsheetml.sheet"):
        with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
            return "".join(archive.read(n).decode() for n in archive.namelist())
    return text(response)


def test_the_readers_are_those_access_allows(confidential, cast):
    for case in confidential.values():
        assert case.confidential
        for who, reads in READERS.items():
            assert access.sees_identities(cast[who], case) == reads, who


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("path, shows", PAGES)
def test_names_show_only_to_the_readers(app, login, confidential, cast, who, path, shows):
    client = login(cast[who], app.test_client())
    url = path.format(**{k: c.reference for k, c in confidential.items()})
    response = client.get(url)
    assert response.status_code in (200, 403, 404)
    page = readable(response)
    for name in SECRETS:
        case = "gbv" if name in GBV_NAMES else "proposed"
        if not (READERS[who] and case in shows):
            assert name not in page, (who, url, name)
        elif path.startswith("/cases/"):  # the case page shows them all to its readers
            assert name in page, (who, url, name)


def test_the_proposal_waits_on_the_dashboard_without_names(app, login, confidential, cast):
    page = text(login(cast["coordinator"], app.test_client()).get("/dashboard"))
    assert confidential["proposed"].reference in page  # the list is there, names are not
    assert not any(name in page for name in SECRETS)


@pytest.mark.parametrize("who", READERS)
@pytest.mark.parametrize("name", SECRETS)
def test_no_one_finds_a_confidential_case_by_a_name(app, login, confidential, cast, who, name):
    page = login(cast[who], app.test_client()).get("/cases", query_string={"q": name})
    found = set(re.findall(r'<li><a href="/cases/([A-Z0-9-]+)">', page.get_data(as_text=True)))
    assert found == set()
