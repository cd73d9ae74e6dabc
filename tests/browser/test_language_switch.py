"""The footer's language switch on a 360 px phone: a form half typed comes back in English
with what was typed (kept in the tab by keep-typed.js, never in the address), and the
switch back to French works the same."""
from __future__ import annotations

from playwright.sync_api import expect

FACTS = "Deux familles de Kola se disputent le champ près du marigot."


def test_switching_language_keeps_what_was_typed(phone):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    phone.visit("/cases/new")
    page.get_by_label("Village ou quartier").fill("Kola")
    page.get_by_label("Ce qui s'est passé").fill(FACTS)
    page.locator("#parties-0-name").fill("Famille Ŋɔnɔ")
    page.get_by_label("Type de conflit").select_option(value="land")
    page.locator("footer.languages").get_by_role("link", name="English").click()
    page.wait_for_url("**/cases/new")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Village or quarter")).to_have_value("Kola")
    expect(page.get_by_label("What happened")).to_have_value(FACTS)
    expect(page.locator("#parties-0-name")).to_have_value("Famille Ŋɔnɔ")
    expect(page.get_by_label("Type of conflict")).to_have_value("land")
    assert FACTS.split()[0] not in page.url  # never in the address
    phone.screenshot("language-switch-keeps-typed")
    page.locator("footer.languages").get_by_role("link", name="Français").click()
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_label("Ce qui s'est passé")).to_have_value(FACTS)
