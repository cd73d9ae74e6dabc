"""The hand-counted programme of programme.py, for the tests of the figures that read it."""
import pytest

from casework.clock import clock_at

from .programme import NOW, build_programme


@pytest.fixture
def at_the_programmes_now():
    """Every test that asks for it runs, pages included, on the day the programme's figures were
    counted (its history is dated from that day, whatever the real date)."""
    with clock_at(NOW):
        yield


@pytest.fixture
def programme(people, elsewhere, make_user):
    """The programme's cases by name (a1 ... b2), commune A with a second mediator, a man."""
    return build_programme(people, elsewhere, make_user((people.commune, "mediator"), sex="M"))
