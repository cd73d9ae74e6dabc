"""An administrator upgrades the cases of mediation v1 to v2 on a 360x740 phone: Administration
> workflow versions shows both versions with their cases per state and the dry run (how many
move, which cannot and why); the upgrade runs once, whatever a double tap, Back or a refresh
do; the v1 case then lives on v2 and its page offers v2's pre-mediation hearing.

The two v1 cases are made for the test in Bougouni (the demo reports every case on v2): one
reported with its team (it moves), one whose proposal awaits its sign-offs (it cannot)."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import func, select

from casework.extensions import db
from casework.models import Case, Commune, Event, User
from casework.services.cases import PartyInput
from tests.factories import PATHS, Commune_People, advance, case_input, report_on_version

HEARING = "Tenir une audience préalable"


def _v1_cases(app) -> tuple[str, str]:
    """(a v1 case reported with its team, a v1 case whose proposal awaits its sign-offs)."""
    with app.app_context():
        commune = db.session.scalar(select(Commune).where(Commune.code == "BGN"))
        user = {name: db.session.scalar(select(User).where(User.username == name))
                for name in ("mediateur.bougouni", "maire.bougouni", "chef.bougouni",
                             "coordination")}
        who = Commune_People(commune, user["mediateur.bougouni"], user["maire.bougouni"],
                             user["chef.bougouni"], user["coordination"])
        # Boundary disputes: mediation's cases (a land case takes the land workflow).
        ready = report_on_version(1, who, case_input(
            village="Kologo", conflict_type="boundary",
            parties=[PartyInput(name="Famille Koné", sex="M", age_group="adult", kind="family")]))
        advance(who, ready, "assign")
        waiting = report_on_version(1, who, case_input(
            village="Sanso", conflict_type="boundary",
            parties=[PartyInput(name="Drissa Bagayoko", sex="M", age_group="elder")]))
        for move in PATHS["proposed"]:
            advance(who, waiting, move)
        db.session.commit()
        assert (ready.workflow_version, waiting.workflow_version) == (1, 1)
        references = ready.reference, waiting.reference
        db.session.remove()
    return references


def _version_of(app, reference: str) -> int:
    with app.app_context():
        version = db.session.scalar(select(Case.workflow_version)
                                    .where(Case.reference == reference))
        db.session.remove()
    return version


def _upgrades_of(app, reference: str) -> int:
    """How many times the case was moved to another version (its events say)."""
    with app.app_context():
        count = db.session.scalar(
            select(func.count()).select_from(Event).join(Case, Case.id == Event.case_id)
            .where(Case.reference == reference, Event.kind == "case.workflow_upgraded"))
        db.session.remove()
    return count


def _card(page, version: int):
    return page.locator(".workflow-list > li").filter(
        has=page.locator(".badge", has_text=re.compile(rf"^mediation v{version}$")))


def test_the_administrator_upgrades_a_v1_case_to_v2(phone, live_server):
    ready, waiting = _v1_cases(live_server.app)
    page = phone.page
    phone.sign_in("admin")
    page.goto("/")
    page.get_by_role("link", name="Administration").first.click()
    page.get_by_role("link", name=re.compile("Versions des circuits de traitement")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Versions des circuits de traitement")

    # Both versions, each with its cases per state: the two v1 cases in Signalé and Proposé.
    v1, v2 = _card(page, 1), _card(page, 2)
    expect(v1).to_contain_text("2 dossiers")
    v1_states = v1.locator("table").first
    expect(v1_states.locator("tr", has_text="Signalé").locator("td")).to_have_text("1")
    expect(v2.locator("table").first).to_be_visible()

    # The dry run: one case moves (Signalé → Signalé), the one awaiting sign-offs cannot.
    expect(v2).to_contain_text(re.compile(
        r"Essai à blanc : 1 dossier\(s\) changeraient de version, 1 ne peuvent pas"))
    expect(v2).to_contain_text(re.compile(rf"{waiting} \([^)]*\) : une proposition attend"))
    layout = phone.layout()
    assert not layout.scrolls_sideways, layout
    assert not layout.small_targets, layout
    assert not phone.accessibility_violations()
    phone.screenshot("admin-upgrades-workflow")

    # Without the box ticked, the phone asks for it and nothing runs.
    confirm = v2.get_by_label(re.compile("J'ai lu l'essai à blanc"))
    v2.get_by_role("button", name="Passer ces dossiers à la v2").click()
    assert confirm.evaluate("box => box.validity.valueMissing")
    assert _version_of(live_server.app, ready) == 1

    # The same page open in a second tab, read before the upgrade: what a second tap sends.
    stale = phone.context.new_page()
    stale.goto("/admin/workflows")
    _card(stale, 2).get_by_label(re.compile("J'ai lu l'essai à blanc")).check()

    # Ticked, then tapped twice: it runs once, and what was done is said.
    confirm.check()
    v2.get_by_role("button", name="Passer ces dossiers à la v2").dblclick()
    expect(page.get_by_text("1 dossier(s) passé(s) à mediation v2.")).to_be_visible()
    assert (_version_of(live_server.app, ready), _version_of(live_server.app, waiting)) == (2, 1)
    assert _upgrades_of(live_server.app, ready) == 1
    expect(_card(page, 1)).to_contain_text("1 dossier")
    expect(_card(page, 1).locator("tr", has_text="Signalé").locator("td")).to_have_text("0")

    # The form read before it runs nothing more: the page says the upgrade was already run,
    # and shows where the cases are now.
    _card(stale, 2).get_by_role("button", name="Passer ces dossiers à la v2").click()
    expect(stale.get_by_text(re.compile("la mise à jour a déjà été faite"))).to_be_visible()
    expect(_card(stale, 2)).to_contain_text(re.compile(r"Essai à blanc : 0 dossier\(s\)"))
    stale.close()
    assert _upgrades_of(live_server.app, ready) == 1

    # A refresh, then Back: nothing runs again, and the page tells the state it left.
    page.reload()
    expect(_card(page, 2)).to_contain_text(re.compile(r"Essai à blanc : 0 dossier\(s\)"))
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert _upgrades_of(live_server.app, ready) == 1

    # The upgraded case's page offers v2's pre-mediation hearing (reported, its team set).
    phone.sign_out()
    phone.sign_in("mediateur.bougouni")
    page.goto(f"/cases/{ready}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(ready)
    expect(page.get_by_role("link", name=HEARING).or_(
        page.get_by_role("button", name=HEARING)).first).to_be_visible()
    layout = phone.layout()
    assert not layout.scrolls_sideways, layout
