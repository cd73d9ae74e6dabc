"""The case page leads, measured on a 360x740 phone: in every state of every workflow, the
person who acts there finds the next step's button on the first screen, without scrolling, and
filled; in a final state, where the case stands is on the first screen."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from casework.extensions import db
from casework.models import Commune, User
from casework.services import cases
from casework.workflow_registry import build_engine
from config import TestConfig
from tests.factories import PATHS, Commune_People, advance, case_input

from .phone import VIEWPORT

# Per state: how a new case gets there, who acts there, and the filled button they must see
# (None in a final state: nobody acts). A state missing here fails the test: add it.
NEXT = {
    ("mediation", "reported"): (PATHS["reported"], "mediateur.bougouni", "Assigner l'équipe"),
    ("mediation", "in_mediation"): (PATHS["in_mediation"], "mediateur.bougouni",
                                    "Consigner une étape de médiation"),
    ("mediation", "resolved"): (PATHS["resolved"], "mediateur.bougouni",
                                "Enregistrer une visite de suivi"),
    ("mediation", "followed_up"): (PATHS["followed_up"], "coordination",
                                   "Clôturer le dossier"),
    ("mediation", "closed"): (PATHS["closed"], "coordination", None),
    ("mediation", "not_admissible"): (PATHS["not_admissible"], "mediateur.bougouni", None),
    ("mediation", "referred"): (PATHS["referred"], "mediateur.bougouni", None),
    ("mediation", "pre_mediation_hearing"): (PATHS["pre_mediation_hearing"],
                                             "mediateur.bougouni", "Démarrer la médiation"),
    # Gender-based violence ("gbv" first: reported as such), referred to Bougouni's first
    # service; while the service has to answer, nobody acts on the case page.
    ("gbv_referral", "reported"): (["gbv"], "mediateur.bougouni", "Orienter vers un service"),
    ("gbv_referral", "referral_sent"): (["gbv", *PATHS["referral_sent"]],
                                        "mediateur.bougouni", None),
    ("gbv_referral", "referral_declined"): (["gbv", *PATHS["referral_declined"]],
                                            "mediateur.bougouni", "Orienter vers un service"),
    ("gbv_referral", "referral_accepted"): (["gbv", *PATHS["referral_accepted"]],
                                            "mediateur.bougouni", None),
    ("gbv_referral", "outcome_recorded"): (["gbv", *PATHS["outcome_recorded"]],
                                           "coordination", "Enregistrer le suivi"),
    ("gbv_referral", "referral_followed_up"): (["gbv", *PATHS["referral_followed_up"]],
                                               "coordination", "Clôturer le dossier"),
    ("gbv_referral", "closed"): (["gbv", *PATHS["referral_followed_up"], "close"],
                                 "coordination", None),
}
# Moments inside a state that ask someone else: a proposal waiting for the mayor's sign-off;
# the team set, the mediation to start; a step logged, the agreement to propose.
MOMENTS = {
    "proposed, for the mayor": (PATHS["proposed"], "maire.bougouni", "Signer l'accord"),
    "proposed, for the chief": (PATHS["proposed"], "chef.bougouni", "Signer l'accord"),
    "team set": (["assign"], "mediateur.bougouni", "Démarrer la médiation"),
    "step logged": (["assign", "start", "step"], "mediateur.bougouni", "Proposer un accord"),
}
# Every state of every version, once: new cases take the latest version, whose states hold
# those of the earlier ones.
STATES = list(dict.fromkeys((w.name, name)
                            for w in build_engine(TestConfig.WORKFLOWS_DIR).workflows()
                            for name in w.states))
made: dict = {}


def _case_at(app, moves) -> str:
    """A new conflict of Bougouni, driven through `moves` by the demo's people."""
    key = tuple(moves)
    if key in made:
        return made[key]
    with app.app_context():
        commune = db.session.scalar(select(Commune).where(Commune.code == "BGN"))

        def user(name):
            return db.session.scalar(select(User).where(User.username == name))
        people = Commune_People(commune=commune, mediator=user("mediateur.bougouni"),
                                mayor=user("maire.bougouni"), chief=user("chef.bougouni"),
                                coordinator=user("coordination"))
        gbv = key[:1] == ("gbv",)
        case = cases.report_case(people.mediator, commune, case_input(
            village=f"Kola {len(made) + 1}", description=f"Conflit de mesure {len(made) + 1}.",
            conflict_type="gbv" if gbv else "land"))
        for move in moves[1:] if gbv else moves:
            advance(people, case, move)
        db.session.commit()
        made[key] = case.reference
        db.session.remove()
    return made[key]


def _first_screen(phone, locator) -> None:
    """Entirely within the 740 px the phone shows before any scrolling."""
    expect(locator).to_be_visible()
    assert phone.page.evaluate("window.scrollY") == 0
    box = locator.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= VIEWPORT["height"], box


def _check(phone, live_server, moves, username, label) -> None:
    reference = _case_at(live_server.app, moves)
    phone.sign_in(username)
    phone.visit(f"/cases/{reference}")
    page = phone.page
    _first_screen(phone, page.get_by_role("heading", name="Où en est le dossier"))
    if label is None:
        assert page.locator(".actions.lead").count() == 0
        return
    button = page.locator(".actions.lead a.button", has_text=label)
    _first_screen(phone, button)
    assert "secondary" not in (button.get_attribute("class") or "")


@pytest.mark.parametrize("workflow, state", STATES)
def test_the_next_step_is_on_the_first_screen_in_every_state(phone, live_server, workflow,
                                                             state):
    assert (workflow, state) in NEXT, f"say who acts in {workflow}/{state} and how"
    _check(phone, live_server, *NEXT[(workflow, state)])


@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_the_next_step_is_on_the_first_screen_for_whoever_is_awaited(phone, live_server,
                                                                      moment):
    _check(phone, live_server, *MOMENTS[moment])
