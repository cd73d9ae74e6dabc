"""A gender-based violence case on a 360x740 phone, with the demo accounts of Bougouni: the
mediator reports it and refers it, with the survivor's consent, to the health centre; the
health centre's focal point reads the referral (the survivor's name: she consented), accepts
it, then records the outcome; the mediator finds on the case page that the case moved and
what the service answered. The steps share the case through `story`, in order."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casework.clock import local_today

story: dict = {}
SURVIVOR = "Fanta Sidibé"
HEALTH_CENTRE = "Centre de santé de référence (CSRéf) de Bougouni"
OUTCOME = "Soins reçus et certificat médical remis ; suivi psychologique proposé."


def _need(key: str):
    if key not in story:
        pytest.fail(f"an earlier step did not leave {key!r}: run the module in order")
    return story[key]


def test_1_the_mediator_reports_and_refers_with_consent(phone):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.get_by_role("link", name="Signaler un conflit").click()
    page.get_by_label("Village ou quartier").fill("Ouroumpana")
    page.get_by_label("Type de conflit").select_option(label="Violence basée sur le genre")
    page.get_by_label("Ce qui s'est passé").fill(
        "Une jeune femme a été frappée par son mari ; elle a peur de rentrer chez elle.")
    page.locator("#parties-0-name").fill(SURVIVOR)
    page.locator("#parties-0-sex").select_option(label="Femme")
    page.locator("#parties-0-age_group").select_option(label="Jeune (15-35 ans)")
    page.get_by_label("Signalé par", exact=True).fill("La survivante")
    page.get_by_role("button", name="Signaler le conflit").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"BGN-\d{4}-\d{4}"))
    story["reference"] = re.search(r"BGN-\d{4}-\d{4}", heading.inner_text()).group(0)
    story["url"] = page.url
    expect(page.locator("main")).to_contain_text("jamais médié")
    expect(page.get_by_role("link", name="Démarrer la médiation")).to_have_count(0)

    page.get_by_role("link", name="Orienter vers un service").click()
    page.get_by_label("Service", exact=True).select_option(label=HEALTH_CENTRE)
    page.get_by_label("Motif de l'orientation").fill("Soins et certificat médical.")
    page.get_by_label("Consentement à partager les noms des parties avec le service").select_option(
        label="Donné")
    page.get_by_label("Consentement donné par (la survivante, les parties...)").fill(
        "La survivante")
    page.get_by_label("Forme du consentement").select_option(label="Orale")
    page.get_by_label("Date du consentement").fill(local_today().isoformat())
    phone.screenshot("gbv-refer-form")
    page.get_by_role("button", name="Orienter vers un service").click()
    expect(page.locator(".badge").first).to_have_text("Orienté, en attente du service")
    expect(page.locator(".referral")).to_contain_text(HEALTH_CENTRE)
    assert not phone.layout().scrolls_sideways
    phone.screenshot("gbv-referred")


def test_2_the_health_centre_reads_accepts_and_records_the_outcome(phone):
    reference = _need("reference")
    page = phone.page
    phone.sign_in("service.health_centre.bougouni")
    phone.visit("/referrals")
    page.get_by_role("link", name=re.compile(reference)).first.click()
    main = page.locator("main")
    expect(main).to_contain_text(SURVIVOR)  # she consented: the service reads her name
    expect(main).not_to_contain_text("peur de rentrer")  # the facts stay the case's
    page.get_by_role("button", name="Accepter l'orientation").click()
    expect(page.locator(".badge").first).to_have_text("Acceptée par le service")
    page.get_by_label("Ce que le service a fait, et ce qu'est devenue la personne").fill(OUTCOME)
    page.get_by_role("button", name="Enregistrer le résultat").click()
    expect(page.locator(".badge").first).to_have_text("Résultat enregistré")
    assert not phone.layout().scrolls_sideways
    phone.screenshot("gbv-service-outcome")
    # The case itself never opens for the service.
    phone.visit(f"/cases/{reference}")
    assert phone.status == 404


def test_3_the_mediator_finds_the_case_moved_and_the_answer(phone):
    _need("reference")
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.goto(_need("url"))
    expect(page.locator(".badge").first).to_have_text("Résultat enregistré")
    referral = page.locator(".referral")
    expect(referral).to_contain_text(HEALTH_CENTRE)
    expect(referral).to_contain_text(OUTCOME)
    # What is left is the coordination's: the follow-up, not the mediator's.
    expect(page.get_by_role("link", name="Enregistrer le suivi")).to_have_count(0)
    assert not phone.layout().scrolls_sideways
    phone.screenshot("gbv-mediator-sees-outcome")


def test_4_the_coordination_follows_it_up(phone):
    page = phone.page
    phone.sign_in("coordination")
    page.goto(_need("url"))
    page.get_by_role("link", name="Enregistrer le suivi").click()
    page.get_by_label("Note (facultatif)").fill("Appel à la survivante : elle va mieux.")
    page.get_by_role("button", name="Enregistrer le suivi").click()
    expect(page.locator(".badge").first).to_have_text("Suivi par la coordination")
    expect(page.locator(".actions.lead a.button", has_text="Clôturer le dossier")).to_be_visible()
