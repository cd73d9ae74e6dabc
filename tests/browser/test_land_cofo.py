"""A land conflict of Sikasso on a 360 px phone: the mediation reaches no agreement, the
mediator refers the case to the commune's land commission (COFO); the COFO's focal point
finds it among the referrals to their service and enters the conciliation record with its
PV; the mediator reads it on the case's page. Adds a case to Sikasso's lists (ADD_TO_THE_DEMO
in conftest.py)."""
from __future__ import annotations

import re

from playwright.sync_api import expect
from sqlalchemy import select

from casework.clock import local_today
from casework.extensions import db
from casework.models import Commune, User
from casework.services import cases
from tests import filesamples
from tests.factories import Commune_People, advance, case_input

PV_NUMBER = "PV-COFO-SKS-21"


def _land_case_in_mediation(app) -> str:
    """A land conflict of Sikasso, its team set, mediated, one step logged: no agreement."""
    with app.app_context():
        commune = db.session.scalar(select(Commune).where(Commune.code == "SKS"))

        def user(name):
            return db.session.scalar(select(User).where(User.username == name))
        people = Commune_People(commune=commune, mediator=user("mediateur.sikasso"),
                                mayor=user("maire.sikasso"), chief=user("chef.sikasso"),
                                coordinator=user("coordination"))
        case = cases.report_case(people.mediator, commune, case_input(
            village="Lobougoula", conflict_type="land",
            description="Deux lignages revendiquent un bas-fond rizicole."))
        for move in ("assign", "start", "step"):
            advance(people, case, move)
        db.session.commit()
        reference = case.reference
        db.session.remove()
    return reference


def test_a_land_case_goes_to_the_cofo_and_comes_back_with_its_pv(phone, live_server,
                                                                 tmp_path):
    reference = _land_case_in_mediation(live_server.app)
    page = phone.page

    # The mediator: no agreement, to the COFO.
    phone.sign_in("mediateur.sikasso")
    phone.visit(f"/cases/{reference}")
    page.get_by_role("link", name="Orienter vers la COFO (pas d'accord)").click()
    page.get_by_label("Motif de l'orientation").fill(
        "Aucun lignage ne cède : la commission foncière doit entendre les anciens.")
    page.get_by_label(re.compile("Consentement à partager")).select_option(index=1)
    page.get_by_label(re.compile("Consentement donné par")).fill("Les deux lignages")
    page.get_by_label("Forme du consentement").select_option(index=1)
    page.get_by_label("Date du consentement").fill(local_today().isoformat())
    assert not phone.layout().scrolls_sideways
    page.get_by_role("button", name="Orienter vers la COFO (pas d'accord)").click()
    expect(page.locator(".badge").first).to_have_text("À la COFO")
    phone.sign_out()

    # The COFO's focal point: the referral, then the record with its PV.
    phone.sign_in("service.cofo.sikasso")
    phone.visit("/referrals")
    page.get_by_role("link", name=re.compile(reference)).click()
    page.get_by_role("link", name="Saisir le PV de la COFO").click()
    page.get_by_label("Date de la conciliation par la COFO").fill(local_today().isoformat())
    page.get_by_label("Issue de la conciliation").select_option(label="Conciliation obtenue")
    page.get_by_label(re.compile("Numéro du PV de la COFO")).fill(PV_NUMBER)
    page.get_by_label("Observations (facultatif)").fill("Le bas-fond est partagé et borné.")
    pv = tmp_path / "PV conciliation.pdf"
    pv.write_bytes(filesamples.pdf())
    page.get_by_label(re.compile("Le PV \\(PDF")).set_input_files(str(pv))
    assert not phone.layout().scrolls_sideways
    phone.screenshot("cofo-focal-point-enters-the-record")
    page.get_by_role("button", name="Saisir le PV de la COFO").click()
    expect(page.get_by_text("Enregistré ; l'équipe est prévenue.")).to_be_visible()
    expect(page.get_by_text("Saisir le PV de la COFO")).to_have_count(0)
    phone.sign_out()

    # The mediator reads it on the case's page, with the PV to download.
    phone.sign_in("mediateur.sikasso")
    phone.visit(f"/cases/{reference}")
    expect(page.locator(".badge").first).to_have_text("Concilié par la COFO")
    record = page.locator(".cofo-record")
    expect(record).to_contain_text("Conciliation par la commission foncière (COFO)")
    expect(record).to_contain_text("Conciliation obtenue")
    expect(record).to_contain_text(PV_NUMBER)
    expect(record.get_by_role("link", name="Le PV (PDF)")).to_be_visible()
    assert not phone.layout().scrolls_sideways
    record.scroll_into_view_if_needed()
    phone.screenshot("cofo-record-on-the-case-page", focus=record)
