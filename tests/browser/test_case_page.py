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
    # Gender-based violence (reported as such: WHERE), referred to Bougouni's first service;
    # while the service has to answer, nobody acts on the case page.
    ("gbv_referral", "reported"): ([], "mediateur.bougouni", "Orienter vers un service"),
    ("gbv_referral", "referral_sent"): (PATHS["referral_sent"],
                                        "mediateur.bougouni", None),
    ("gbv_referral", "referral_declined"): (PATHS["referral_declined"],
                                            "mediateur.bougouni", "Orienter vers un service"),
    ("gbv_referral", "referral_accepted"): (PATHS["referral_accepted"],
                                            "mediateur.bougouni", None),
    ("gbv_referral", "outcome_recorded"): (PATHS["outcome_recorded"],
                                           "coordination", "Enregistrer le suivi"),
    ("gbv_referral", "referral_followed_up"): (PATHS["referral_followed_up"],
                                               "coordination", "Clôturer le dossier"),
    ("gbv_referral", "closed"): (PATHS["referral_followed_up"] + ["close"],
                                 "coordination", None),
    # The land workflow's road to the COFO, in Sikasso (whose directory has its COFO).
    ("land", "at_cofo"): (PATHS["at_cofo"], "mediateur.sikasso", "Saisir le PV de la COFO"),
    ("land", "conciliated_by_cofo"): (PATHS["conciliated_by_cofo"], "coordination",
                                      "Clôturer le dossier"),
    ("land", "referred_to_tribunal"): (PATHS["referred_to_tribunal"], "mediateur.sikasso",
                                       None),
}
# A land case mediates as any: its states shared with mediation lead to the same buttons.
NEXT.update({("land", state): how for (name, state), how in list(NEXT.items())
             if name == "mediation"})
# States a case passes through at once, never resting there (their every way out fires by
# itself): nobody ever opens a case in them.
PASSING = {("land", "back_from_cofo")}
# The type of conflict each workflow's states are tried on (the type its `serves:` takes).
WHERE = {"mediation": "boundary", "land": "land", "gbv_referral": "gbv"}

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


def _case_at(app, moves, conflict_type="boundary", code="BGN") -> str:
    """A new conflict of Bougouni (or of the commune `code`), driven through `moves` by the
    demo's people."""
    key = (tuple(moves), conflict_type, code)
    if key in made:
        return made[key]
    slug = {"BGN": "bougouni", "SKS": "sikasso"}[code]
    with app.app_context():
        commune = db.session.scalar(select(Commune).where(Commune.code == code))

        def user(name):
            return db.session.scalar(select(User).where(User.username == name))
        people = Commune_People(commune=commune, mediator=user(f"mediateur.{slug}"),
                                mayor=user(f"maire.{slug}"), chief=user(f"chef.{slug}"),
                                coordinator=user("coordination"))
        case = cases.report_case(people.mediator, commune, case_input(
            village=f"Kola {len(made) + 1}", description=f"Conflit de mesure {len(made) + 1}.",
            conflict_type=conflict_type))
        for move in moves:
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


def _check(phone, live_server, moves, username, label, conflict_type="boundary") -> None:
    # The COFO's road runs in Sikasso: its directory has the commune's COFO.
    cofo = any(move.endswith("cofo") or move.startswith("cofo_") for move in moves)
    reference = _case_at(live_server.app, moves, conflict_type, "SKS" if cofo else "BGN")
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
    if (workflow, state) in PASSING:
        definition = build_engine(TestConfig.WORKFLOWS_DIR).latest(workflow)
        assert all(t.automatic for t in definition.outgoing(state))
        return
    assert (workflow, state) in NEXT, f"say who acts in {workflow}/{state} and how"
    _check(phone, live_server, *NEXT[(workflow, state)], WHERE[workflow])


@pytest.mark.parametrize("moment", sorted(MOMENTS))
def test_the_next_step_is_on_the_first_screen_for_whoever_is_awaited(phone, live_server,
                                                                      moment):
    _check(phone, live_server, *MOMENTS[moment])
