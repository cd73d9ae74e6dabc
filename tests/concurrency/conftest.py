"""One real database and one gunicorn server per test module (they cost a second or two)."""
import pytest

from tests.databases import fresh_database

from .server import Gunicorn
from .site import Site


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("site")) as url:
        site = Site(url)
        try:
            yield site
        finally:
            site.close()


@pytest.fixture(scope="module")
def server(site, tmp_path_factory):
    with Gunicorn(site.url, tmp_path_factory.mktemp("gunicorn") / "gunicorn.log") as server:
        yield server
