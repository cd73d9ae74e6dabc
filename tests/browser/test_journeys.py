"""The journeys of the people who use Palabre, in a real browser on a 360x740 phone, with the
demo accounts of Bougouni. Journeys 1 to 3 follow one conflict, so they run in this order and
share it through `story`; each saves a screenshot of its last screen."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from casework.clock import local_today

story: dict = {}

PARTIES = (("Bakary Sangaré", "Homme", "Adulte"), ("Campement peul de Sɛrɛkɔrɔ", "Homme",
                                                     "Personne âgée"))
FIRST_TERMS = "Le couloir de passage du bétail est rouvert."
TERMS = "Le couloir de passage du bétail est rouvert ; les champs sont clôturés avant juin."
REJECTION = "Le chef de village de Kola n'a pas été consulté."


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
    phone.screenshot("mediator-report-form")
    page.get_by_role("button", name="Signaler le conflit").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"BGN-\d{4}-\d{4}"))
    story["reference"] = re.search(r"BGN-\d{4}-\d{4}", heading.inner_text()).group(0)
    story["url"] = page.url
    phone.screenshot("mediator-case-reported",
                     focus=page.get_by_role("heading", name="Où en est le dossier"))

    page.get_by_role("link", name="Assigner l'équipe").click()
    page.get_by_label(re.compile("Aminata")).check()
    phone.screenshot("mediator-assign-team")
    page.get_by_role("button", name="Enregistrer l'équipe").click()
    page.get_by_role("link", name="Démarrer la médiation").click()
    page.get_by_role("button", name="Démarrer la médiation").click()
    expect(page.locator(".badge").first).to_have_text("En médiation")

    page.get_by_role("link", name="Consigner une étape de médiation").click()
    page.get_by_label("Type d'étape").select_option(label="Séance conjointe")
    page.get_by_label("Lieu").fill("Vestibule du chef de village")
    for label, count in (("Femmes (plus de 35 ans)", "4"), ("Hommes (plus de 35 ans)", "7"),
                         ("Jeunes femmes (15-35 ans)", "2"), ("Jeunes hommes (15-35 ans)", "3")):
        page.get_by_label(label, exact=True).fill(count)
    page.get_by_label("Ce qui a été dit et fait").fill("Les deux camps ont été entendus.")
    phone.screenshot("mediator-mediation-step")
    page.get_by_role("button", name="Consigner l'étape").click()
    expect(page.get_by_text("4 femmes de plus de 35 ans, 2 jeunes femmes (15-35 ans), 7 hommes de "
                            "plus de 35 ans, 3 jeunes hommes (15-35 ans)")).to_be_visible()

    page.get_by_role("link", name="Proposer un accord").click()
    page.get_by_label("Termes de l'accord").fill(FIRST_TERMS)
    phone.screenshot("mediator-propose-agreement")
    page.get_by_role("button", name="Proposer un accord").click()
    expect(page.get_by_text("L'accord attend la signature de")).to_be_visible()
    phone.screenshot("journey-1-mediator-proposes")


def test_1b_the_chief_rejects_it_and_the_mediator_sees_it_first_and_revises_it(phone):
    reference = _need("reference")
    page = phone.page
    phone.sign_in("chef.bougouni")
    page.locator("main").get_by_role("link", name=re.compile(reference)).first.click()
    expect(page.locator("blockquote")).to_have_text(FIRST_TERMS)
    page.get_by_role("radio", name="Rejeter").check()
    page.get_by_label("Commentaire (obligatoire pour rejeter)").fill(REJECTION)
    phone.screenshot("chief-rejects")
    page.get_by_role("button", name="Enregistrer ma décision").click()
    expect(page.get_by_role("status")).to_have_text(
        "Vous avez rejeté l'accord ; l'équipe est prévenue.")
    phone.sign_out()

    phone.sign_in("mediateur.bougouni")
    first = page.locator("main section").first
    expect(first.get_by_role("heading", level=2)).to_contain_text("Accords rejetés")
    expect(first).to_contain_text(reference)
    expect(first).to_contain_text(REJECTION)
    expect(first).to_contain_text("Révisez l'accord ou proposez-en un autre")
    expect(page.get_by_role("link", name=re.compile(r"^Mon travail \(\d+\)"))).to_be_visible()
    phone.screenshot("mediator-my-work-rejected")
    first.get_by_role("link", name=re.compile(reference)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Proposer un accord")
    page.get_by_label("Termes de l'accord").fill(TERMS)
    phone.screenshot("mediator-revise-agreement")
    page.get_by_role("button", name="Proposer un accord").click()
    expect(page.get_by_text("L'accord attend la signature de")).to_be_visible()
    page.goto(phone.base_url + "/")
    expect(page.locator("main")).not_to_contain_text(reference)


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
    mayor = username.startswith("maire")
    if mayor:
        phone.screenshot("mayor-my-work")
    work.get_by_role("link", name=re.compile(reference)).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signer l'accord")
    expect(page.locator("blockquote")).to_have_text(TERMS)
    page.get_by_label("Approuver").check()
    page.get_by_label("Commentaire (obligatoire pour rejeter)").fill(
        "Accord conforme à la coutume." if username.startswith("chef") else "Bon accord.")
    if mayor:
        phone.screenshot("mayor-sign-off")
    page.get_by_role("button", name="Enregistrer ma décision").click()
    expect(page.locator("main")).to_contain_text(f"{role_done} : approuvé")
    if username.startswith("chef"):
        expect(page.locator(".badge").first).to_have_text("Résolu")
        history = page.locator("main").inner_text()
        assert "Maire ou adjoint au maire : approuvé" in history
        assert "Autorité traditionnelle : approuvé" in history
        phone.screenshot("journey-2-resolved-with-both-sign-offs")


@pytest.mark.parametrize("username", ["mediateur.bougouni", "maire.bougouni", "chef.bougouni",
                                      "coordination"])
def test_2b_once_approved_no_list_holds_it(phone, username):
    reference = _need("reference")
    phone.sign_in(username)
    expect(phone.page.locator("main")).not_to_contain_text(reference)


def test_3_follow_ups_find_it_respected_then_broken_and_it_returns_to_mediation(phone):
    url = _need("url")
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.goto(url)
    today = local_today().isoformat()
    # On the day of the agreement the planned 30- and 90-day visits are not open yet: these
    # are additional visits (the form offers that first).
    for visit, outcome in (("30", "Accord respecté"), ("90", "Accord rompu")):
        page.get_by_role("link", name="Enregistrer une visite de suivi").click()
        expect(page.get_by_label("Visite", exact=True)).to_have_value("")
        page.get_by_label("Date de la visite").fill(today)
        page.get_by_label(outcome, exact=True).check()
        page.get_by_label("Notes").fill("Visite au champ avec les deux camps : " + outcome.lower())
        if visit == "30":
            phone.screenshot("mediator-follow-up")
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
    phone.screenshot("coordination-dashboard",
                     focus=page.get_by_role("heading", name="Chiffres clés"))
    table = page.get_by_role("region", name="Dossiers ouverts par commune et par état")
    # A count of the table, in mediation (where the case stands): the cases it counts.
    table.locator("a[href*='status=in_mediation']").first.click()
    page.get_by_role("link", name=re.compile(reference)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.go_back()
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    csv = download.value.path().read_text(encoding="utf-8-sig")
    assert reference in csv and "Bakary Sangaré" not in csv  # the file to share: no name
    page.get_by_text("Exporter avec les noms des parties").click()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV avec les noms").click()
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


def test_7_the_coordinator_finds_the_form_import(phone):
    page = phone.page
    phone.sign_in("coordination")
    page.get_by_role("navigation").get_by_role("link", name="Importer des formulaires").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Importer des soumissions KoboToolbox ou ODK")
    expect(page.get_by_role("link", name=re.compile("Télécharger le formulaire"))).to_be_visible()
    phone.screenshot("coordination-import-forms")


def test_8_the_administrator_lists_the_accounts_and_opens_one(phone):
    page = phone.page
    phone.sign_in("admin")  # with the two-factor code of the demo's authenticator
    page.get_by_role("navigation").get_by_role("link", name="Administration").click()
    page.get_by_role("link", name=re.compile("^Utilisateurs")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Utilisateurs")
    expect(page.locator("main")).to_contain_text("mediateur.bougouni")
    phone.screenshot("admin-users")
    page.get_by_role("link", name=re.compile("Aminata Traoré")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Aminata Traoré")
    expect(page.locator("main")).to_contain_text("Médiateur · Bougouni")
    phone.screenshot("admin-user",
                     focus=page.get_by_role("heading", name="Rôles dans les communes"))
    page.get_by_role("link", name="Utilisateurs").click()
    page.get_by_role("link", name="Créer un utilisateur").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un utilisateur")
    phone.screenshot("admin-new-user")


def test_9_a_person_chooses_the_messages_they_get(phone):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.get_by_role("link", name="Mot de passe et langue").click()
    choices = page.locator("form.choices")
    late = choices.locator("fieldset", has_text="Un dossier a dépassé son délai")
    late.get_by_label("SMS").uncheck()
    heading = page.get_by_role("heading", name="Messages", exact=True)
    phone.screenshot("account-messages", focus=heading)
    page.get_by_role("button", name="Enregistrer mon choix de messages").click()
    expect(page.get_by_role("status")).to_have_text("Votre choix de messages est enregistré.")
    expect(page.locator("form.choices fieldset", has_text="Un dossier a dépassé son délai")
           .get_by_label("SMS")).not_to_be_checked()
