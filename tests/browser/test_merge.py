"""The same conflict reported twice, merged by the coordination on a 360x740 phone: the case it
repeats picked, what joins it shown, a reason given; the kept case then holds both, and the
duplicate's address leads to it."""
from __future__ import annotations

import re

from playwright.sync_api import expect

REASON = "Le fils a signalé le même champ que son père la veille."


def _report(page, village: str, facts: str, party: str) -> str:
    """A conflict reported in Bougouni by the coordination; its reference."""
    page.goto("/cases/new")
    page.get_by_label("Commune", exact=True).select_option(label="Bougouni")
    page.get_by_label("Village ou quartier").fill(village)
    page.get_by_label("Type de conflit").select_option(label="Limites de terres")
    page.get_by_label("Ce qui s'est passé").fill(facts)
    page.locator("#parties-0-name").fill(party)
    page.locator("#parties-0-sex").select_option(label="Homme")
    page.locator("#parties-0-age_group").select_option(label="Adulte")
    page.get_by_label("Signalé par", exact=True).fill("Bakary Sanogo")
    page.get_by_role("button", name="Signaler le conflit").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"BGN-\d{4}-\d{4}"))
    return re.search(r"BGN-\d{4}-\d{4}", heading.inner_text()).group(0)


def test_the_coordination_merges_a_duplicate_report(phone):
    page = phone.page
    phone.sign_in("coordination")
    kept = _report(page, "Zanso", "Deux familles se disputent la limite d'un champ.",
                   "Famille Sanogo")
    duplicate = _report(page, "Zanso", "Le champ du père est encore revendiqué par le voisin.",
                        "Adama Sanogo")

    page.get_by_role("link", name="Fusionner dans un autre dossier").click()
    page.get_by_label("Référence du dossier qu'il répète").fill(kept)
    page.get_by_role("button", name="Voir ce qui sera joint").click()
    expect(page.get_by_text("Parties ajoutées : Adama Sanogo")).to_be_visible()
    page.get_by_label("Pourquoi les deux dossiers sont un seul conflit").fill(REASON)
    layout = phone.layout()
    assert not layout.scrolls_sideways, layout
    assert not phone.accessibility_violations()
    phone.screenshot("coordination-merges-a-duplicate")
    page.get_by_role("button", name=f"Fusionner dans {kept}").click()

    expect(page.get_by_text(f"{duplicate} est fusionné dans ce dossier")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(kept)
    history = page.locator(".history")
    expect(history).to_contain_text(f"a fusionné le signalement en double {duplicate}")
    expect(history).to_contain_text(REASON)
    expect(page.get_by_text("Adama Sanogo")).to_be_visible()
    # The duplicate's address, kept on a paper or a message, leads to the kept case.
    page.goto(f"/cases/{duplicate}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(kept)
