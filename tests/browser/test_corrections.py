"""A name misspelt on a report, corrected on a 360x740 phone, and the procès-verbal printed
again with it (read back from the PDF the browser downloads)."""
from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from pypdf import PdfReader

WRONG, RIGHT = "Moussa Diarrra", "Moussa Diarra"
PRINT = "Imprimer le procès-verbal de conciliation (PDF)"


def _report_and_propose(page) -> None:
    page.get_by_role("link", name="Signaler un conflit").click()
    page.get_by_label("Village ou quartier").fill("Sido")
    page.get_by_label("Type de conflit").select_option(label="Limites de terres")
    page.get_by_label("Ce qui s'est passé").fill("Une borne a été déplacée entre deux champs.")
    for index, (name, sex, age) in enumerate(((WRONG, "Homme", "Adulte"),
                                              ("Fanta Coulibaly", "Femme", "Adulte"))):
        page.locator(f"#parties-{index}-name").fill(name)
        page.locator(f"#parties-{index}-sex").select_option(label=sex)
        page.locator(f"#parties-{index}-age_group").select_option(label=age)
    page.get_by_label("Signalé par", exact=True).fill("Seydou Traoré")
    page.get_by_role("button", name="Signaler le conflit").click()
    page.get_by_role("link", name="Assigner l'équipe").click()
    page.get_by_label(re.compile("Aminata")).check()
    page.get_by_role("button", name="Enregistrer l'équipe").click()
    page.get_by_role("link", name="Démarrer la médiation").click()
    page.get_by_role("button", name="Démarrer la médiation").click()
    page.get_by_role("link", name="Consigner une étape de médiation").click()
    page.get_by_label("Type d'étape").select_option(label="Séance conjointe")
    page.get_by_label("Lieu").fill("Champ de Sido")
    page.get_by_label("Femmes (plus de 35 ans)", exact=True).fill("2")
    page.get_by_label("Hommes (plus de 35 ans)", exact=True).fill("3")
    page.get_by_label("Ce qui a été dit et fait").fill("La borne a été remise en place.")
    page.get_by_role("button", name="Consigner l'étape").click()
    page.get_by_role("link", name="Proposer un accord").click()
    page.get_by_label("Termes de l'accord").fill("La borne reste à sa place d'origine.")
    page.get_by_role("button", name="Proposer un accord").click()
    expect(page.get_by_text("L'accord attend la signature de")).to_be_visible()


def _printed(page, tmp_path: Path) -> str:
    with page.expect_download() as download:
        page.get_by_role("link", name=PRINT).first.click()
    path = tmp_path / "pv.pdf"
    download.value.save_as(path)
    return "\n".join(p.extract_text() for p in PdfReader(path).pages)


def test_a_name_corrected_prints_on_the_record(phone, tmp_path):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    _report_and_propose(page)
    assert WRONG in _printed(page, tmp_path)

    page.get_by_role("link", name="Corriger le dossier").click()
    name = page.locator("#parties-0-name")
    expect(name).to_have_value(WRONG)
    name.fill(RIGHT)
    page.get_by_label("Motif de la correction").fill("Nom mal orthographié au signalement.")
    layout = phone.layout()
    assert not layout.scrolls_sideways, layout
    assert not phone.accessibility_violations()
    phone.screenshot("mediator-corrects-a-name")
    page.get_by_role("button", name="Enregistrer la correction").click()

    expect(page.get_by_text("La correction est enregistrée.")).to_be_visible()
    expect(page.locator(".history")).to_contain_text("a corrigé le dossier : parties")
    expect(page.locator(".history")).to_contain_text("Nom mal orthographié au signalement.")
    printed = _printed(page, tmp_path)
    assert RIGHT in printed and WRONG not in printed
