"""The hand-counted programme of programme.py, for the tests of the figures that read it."""
import pytest

from casework.clock import clock_at
from tests.factories import new_user
from tests.kept import build_on, reloaded

from .programme import NOW, build_programme


@pytest.fixture
def at_the_programmes_now():
    """Every test that asks for it runs, pages included, on the day the programme's figures were
    counted (its history is dated from that day, whatever the real date)."""
    with clock_at(NOW):
        yield


def _programme(town) -> dict:
    people = town.people
    return build_programme(people, town.elsewhere, new_user((people.commune, "mediator"),
                                                            sex="M"))


@pytest.fixture(scope="module")
def kept_programme(app, module_connection, kept_town):
    """The programme, built once for the module that asks for it (tests/kept.py): the tests of
    the module that come after the first to ask see its cases too."""
    return build_on(app, module_connection, lambda: _programme(reloaded(kept_town)))


@pytest.fixture
def programme(kept_programme):
    """The programme's cases by name (a1 ... b2), commune A with a second mediator, a man."""
    return reloaded(kept_programme)
