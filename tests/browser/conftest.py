"""Real-browser tests: Playwright driving Debian's Chromium against Palabre served on
127.0.0.1, with the demo data, on a 360x740 phone viewport.

In CI (CI=true) a browser that cannot start is a failure; on a laptop without Chromium these
tests are skipped with a message saying how to install it.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from casework import create_app
from casework.extensions import db
from config import TestConfig

from ..databases import fresh_database
from . import guide
from .phone import Phone

CHROMIUM = os.environ.get("PALABRE_CHROMIUM", "/usr/lib/chromium/chromium")
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
INSTALL_HINT = ("Chromium is not installed: `sudo apt-get install -y chromium` (Debian), or set "
                "PALABRE_CHROMIUM to a Chromium binary; never `playwright install`.")


# The browser tests share one demo programme on one live server. These files add conflicts
# to Bougouni's lists (a case in every state, corrections, a GBV referral, a merge, a day of
# offline work):
# they run after the ones that read those lists as the demo leaves them (the journeys, the
# keyboard's walk through the list, the weight of the pages a phone keeps for offline work);
# test_case_page.py and test_land_cofo.py add land conflicts to Sikasso's;
# test_workflow_upgrade.py adds two cases on mediation v1 to Bougouni and upgrades one.
ADD_TO_THE_DEMO = ("test_case_page.py", "test_corrections.py", "test_gbv_referral.py",
                   "test_land_cofo.py", "test_merge.py", "test_offline.py",
                   "test_workflow_upgrade.py")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.no_db)
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: Path(str(item.fspath)).name in ADD_TO_THE_DEMO)  # stable


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


@pytest.fixture(scope="session")
def chromium_path():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {INSTALL_HINT}", pytrace=False)
        pytest.skip(INSTALL_HINT)
    return CHROMIUM


@pytest.fixture(scope="session")
def live_database(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("live")) as url:
        yield url


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *_exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


@pytest.fixture(scope="session")
def live_server(live_database, chromium_path):
    """The app as `make run` serves it (migrations, then the demo data), CSRF on."""
    app = create_app(TestConfig, SQLALCHEMY_DATABASE_URI=live_database,
                     RENDER_UNEXPECTED_ERRORS=True)
    with app.app_context():
        from flask_migrate import upgrade

        from casework.demo import load_demo
        upgrade()
        load_demo()
        db.session.commit()
        db.session.remove()
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        try:
            # French phone: date fields show dd/mm/yyyy, as on the field teams' phones
            browser = playwright.chromium.launch(executable_path=chromium_path,
                                                 args=["--lang=fr-FR"])
        except Exception as error:  # in CI a browser that cannot start is a failure
            pytest.fail(f"Chromium did not start: {error}", pytrace=False)
        yield browser
        browser.close()


@pytest.fixture
def phone(browser, live_server, request):
    """A fresh phone (its own cookies and cache); fails the test if any page asked another
    host than the app for anything."""
    SCREENSHOTS.mkdir(exist_ok=True)
    device = Phone(browser, live_server.url, SCREENSHOTS, request.node.name,
                   guide_images=guide.folder())
    yield device
    if getattr(request.node, "browser_failed", False):
        device.screenshot(f"FAILED-{request.node.name}")  # what the phone showed at the failure
    device.close()
    assert not device.foreign_requests, f"requests to other hosts: {device.foreign_requests}"
