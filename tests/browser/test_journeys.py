"""The journeys of the people who use Palabre, in a real browser on a 360x740 phone, with the
demo accounts of Bougouni. Journeys 1 to 3 follow one conflict, so they run in this order and
share it through `story`; each saves a screenshot of its last screen."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casework.timeutil import local_today

story: dict = {}

PARTIES = (("Bakary Sangaré", "Homme", "Adulte"), ("Campement peul de Sɛrɛkɔrɔ", "Homme",
                                                     "Personne âgée"))
TERMS = "Le couloir de passage du bétail est rouvert ; les champs sont clôturés avant juin."


def _need(key: str):
    if key not in story:
        pytest.fail(f"an earlier journey did not leave {key!r}: run the module in order")
    return story[key]


def test_1_a_mediator_reports_mediates_and_proposes_an_agreement(phone):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.get_by_role("link", name="Signaler un conflit").click()
    page.get_by_label("Village ou quartier").fill("Faragouaran")
    page.get_by_label("Type de conflit").select_option(label="Agriculteurs-éleveurs")
    page.get_by_label("Ce qui s'est passé").fill(
        "Des bœufs ont dévasté un champ de coton ; les deux camps se menacent.")
    for index, (name, sex, age) in enumerate(PARTIES):
        page.locator(f"#parties-{index}-name").fill(name)
        page.locator(f"#parties-{index}-sex").select_option(label=sex)
        page.locator(f"#parties-{index}-age_group").select_option(label=age)
    page.get_by_label("Signalé par", exact=True).fill("Awa Ɲaarɛ")
    page.get_by_role("button", name="Signaler le conflit").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"BGN-\d{4}-\d{4}"))
    story["reference"] = re.search(r"BGN-\d{4}-\d{4}", heading.inner_text()).group(0)
    story["url"] = page.url

    page.get_by_role("link", name="Assigner l'équipe").click()
    page.get_by_label(re.compile("Aminata")).check()
    page.get_by_role("button", name="Enregistrer l'équipe").click()
    page.get_by_role("link", name="Démarrer la médiation").click()
    page.get_by_role("button", name="Démarrer la médiation").click()
    expect(page.locator(".badge").first).to_have_text("En médiation")

    page.get_by_role("link", name="Consigner une étape de médiation").click()
    page.get_by_label("Type d'étape").select_option(label="Séance conjointe")
    page.get_by_label("Lieu").fill("Vestibule du chef de village")
    for label, count in (("Femmes", "4"), ("Hommes", "7"), ("Jeunes femmes", "2"),
                         ("Jeunes hommes", "3")):
        page.get_by_label(label, exact=True).fill(count)
    page.get_by_label("Ce qui a été dit et fait").fill("Les deux camps ont été entendus.")
    page.get_by_role("button", name="Consigner l'étape").click()
    expect(page.get_by_text("4 femmes, 7 hommes, 2 jeunes femmes, 3 jeunes hommes")).to_be_visible()

    page.get_by_role("link", name="Proposer un accord").click()
    page.get_by_label("Termes de l'accord").fill(TERMS)
    page.get_by_role("button", name="Proposer un accord").click()
    expect(page.get_by_text("L'accord attend la signature de")).to_be_visible()
    phone.screenshot("journey-1-mediator-proposes")


@pytest.mark.parametrize("username, role_done", [
    ("maire.bougouni", "Maire ou adjoint au maire"),
    ("chef.bougouni", "Autorité traditionnelle"),
])
def test_2_the_mayor_then_the_traditional_leader_approve_it(phone, username, role_done):
    reference = _need("reference")
    page = phone.page
    phone.sign_in(username)
    work = page.locator("main")
    expect(work).to_contain_text(reference)
    work.get_by_role("link", name=re.compile(reference)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signer l'accord")
    expect(page.locator("blockquote")).to_have_text(TERMS)
    page.get_by_label("Approuver").check()
    page.get_by_label("Commentaire (obligatoire pour rejeter)").fill(
        "Accord conforme à la coutume." if username.startswith("chef") else "Bon accord.")
    page.get_by_role("button", name="Enregistrer ma décision").click()
    expect(page.locator("main")).to_contain_text(f"{role_done} : approuvé")
    if username.startswith("chef"):
        expect(page.locator(".badge").first).to_have_text("Résolu")
        history = page.locator("main").inner_text()
        assert "Maire ou adjoint au maire : approuvé" in history
        assert "Autorité traditionnelle : approuvé" in history
        phone.screenshot("journey-2-resolved-with-both-sign-offs")


def test_3_follow_ups_find_it_respected_then_broken_and_it_returns_to_mediation(phone):
    url = _need("url")
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.goto(url)
    today = local_today().isoformat()
    for visit, outcome in (("30", "Accord respecté"), ("90", "Accord rompu")):
        page.get_by_role("link", name="Enregistrer une visite de suivi").click()
        page.get_by_label("Visite", exact=True).select_option(value=visit)
        page.get_by_label("Date de la visite").fill(today)
        page.get_by_label(outcome, exact=True).check()
        page.get_by_label("Notes").fill("Visite au champ avec les deux camps : " + outcome.lower())
        page.get_by_role("button", name="Enregistrer la visite").click()
    expect(page.locator(".badge").first).to_have_text("En médiation")
    expect(page.locator("main")).to_contain_text("Résolu → En médiation (automatique)")
    phone.screenshot("journey-3-back-to-mediation")


def test_4_the_coordinator_filters_the_dashboard_opens_the_case_and_exports(phone):
    reference = _need("reference")
    page = phone.page
    phone.sign_in("coordination")  # with the two-factor code of the demo's authenticator
    page.get_by_role("link", name="Tableau de bord").click()
    page.locator("details.filters-box summary").click()  # the filters open on demand
    page.get_by_label("Commune", exact=True).select_option(label="Bougouni")
    page.get_by_role("button", name="Filtrer").click()
    expect(page).to_have_url(re.compile(r"commune=\d+"))
    table = page.get_by_role("region", name="Dossiers ouverts par commune et par état")
    table.get_by_role("link").first.click()  # a count of the table: the cases it counts
    page.get_by_role("link", name=re.compile(reference)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    csv = download.value.path().read_text(encoding="utf-8-sig")
    assert reference in csv and "Bakary Sangaré" in csv
    assert all(line.split(",")[0].startswith(("BGN-", "Référence", "\ufeff")) or not line
               for line in csv.splitlines()[1:]), "the export holds only Bougouni's cases"
    phone.screenshot("journey-4-coordinator-dashboard-export")


def test_5_a_mayor_of_another_commune_gets_the_not_found_page(phone):
    url = _need("url")
    phone.sign_in("maire.kadiolo")
    response = phone.page.goto(url)
    assert response.status == 404
    expect(phone.page.get_by_role("heading", level=1)).to_have_text("Page introuvable")
    assert _need("reference") not in phone.page.content()
    phone.screenshot("journey-5-not-found-elsewhere")


def test_6_a_form_with_an_error_keeps_everything_typed(phone):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.goto("/cases/new")
    page.get_by_label("Type de conflit").select_option(label="Agriculteurs-éleveurs")
    description = "Un troupeau a traversé les jardins de Ɲɛlɛni."
    page.get_by_label("Ce qui s'est passé").fill(description)
    page.locator("#parties-0-name").fill("N'Golo Diarra")
    page.locator("#parties-0-sex").select_option(label="Homme")
    page.get_by_label("Signalé par", exact=True).fill("Kadiatou Ŋaarɛ")
    page.get_by_role("button", name="Signaler le conflit").click()
    village = page.get_by_label("Village ou quartier")
    expect(village).to_have_value("")
    field = page.locator(".field.has-error", has=page.locator("#village"))
    expect(field).to_contain_text("Ce champ est requis.")
    expect(page.get_by_label("Ce qui s'est passé")).to_have_value(description)
    expect(page.locator("#parties-0-name")).to_have_value("N'Golo Diarra")
    expect(page.locator("#parties-0-sex")).to_have_value("M")
    expect(page.get_by_label("Type de conflit")).to_have_value("farmer_herder")
    expect(page.get_by_label("Signalé par", exact=True)).to_have_value("Kadiatou Ŋaarɛ")
    phone.screenshot("journey-6-error-keeps-what-was-typed")
