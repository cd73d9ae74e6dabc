"""The journey of a commune's mechanism, in a real browser on a 360x740 phone, with the demo
accounts of Bougouni: the mediator records an awareness session with the people reached by sex
and age group, then the mayor records their appreciation of it. The two run in this order and
share the activity through `story`; each saves a screenshot of its last screen."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

story: dict = {}

REACHED = (("Jeunes femmes et filles (15-35 ans)", "18"), ("Femmes adultes", "25"),
           ("Femmes âgées", "6"), ("Jeunes hommes et garçons (15-35 ans)", "9"),
           ("Hommes adultes", "7"), ("Hommes âgés", "3"))
COMMENT = "Belle mobilisation des femmes ; à refaire dans les hameaux de culture."


def test_1_the_mediator_records_an_awareness_session_with_people_by_sex(phone):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.get_by_role("navigation").get_by_role("link", name="Mécanismes").click()
    page.get_by_role("link", name=re.compile("Bougouni")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bougouni")
    expect(page.locator("main")).to_contain_text("femmes : ")
    phone.screenshot("mechanism-page")
    page.get_by_role("link", name="Enregistrer une activité").click()
    page.get_by_label("Type d'activité").select_option(label="Séance de sensibilisation")
    page.get_by_label("Titre").fill("Causerie sur la paix au marché de Sanso")
    page.get_by_label("Lieu").fill("Marché hebdomadaire de Sanso")
    page.get_by_label("Animée par", exact=True).fill("Aminata Traoré et Oumou Sangaré")
    for label, count in REACHED:
        page.get_by_label(label, exact=True).fill(count)
    page.get_by_label("Ce qui a été fait et dit").fill(
        "Causerie-débat sur la prévention des conflits entre agriculteurs et éleveurs ; "
        "les femmes ont demandé un cadre de concertation sur l'accès aux bas-fonds.")
    page.get_by_role("button", name="Enregistrer l'activité").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Causerie sur la paix au marché de Sanso")
    expect(page.locator("main")).to_contain_text(
        "68 personnes : 18 jeunes femmes et filles, 25 femmes adultes, 6 femmes âgées, "
        "9 jeunes hommes et garçons, 7 hommes adultes, 3 hommes âgés")
    story["url"] = page.url
    phone.screenshot("mechanism-1-mediator-records-an-awareness-session")


def test_2_the_mayor_records_an_appreciation(phone):
    if "url" not in story:
        pytest.fail("the first journey did not leave its activity: run the module in order")
    page = phone.page
    phone.sign_in("maire.bougouni")
    page.goto(story["url"])
    expect(page.locator("#appreciations")).to_contain_text("Aucune appréciation")
    page.get_by_role("link", name="Donner mon appréciation").click()
    page.get_by_label("4 · Très bien").check()
    page.get_by_label("Votre commentaire").fill(COMMENT)
    phone.screenshot("mechanism-appreciation-form")
    page.get_by_role("button", name="Enregistrer mon appréciation").click()
    appreciations = page.locator("#appreciations")
    expect(appreciations).to_contain_text("4 · Très bien")
    expect(appreciations).to_contain_text("Maire ou adjoint au maire : Moussa Doumbia")
    expect(appreciations).to_contain_text(f"« {COMMENT} »")
    expect(page.get_by_role("link", name="Modifier mon appréciation")).to_be_visible()
    phone.screenshot("mechanism-2-mayor-records-an-appreciation")
