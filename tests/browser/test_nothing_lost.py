"""Nothing typed is lost, and nothing is reported twice, on a 360x740 phone: the intake form
sent after the session ended comes back filled for the same person only; Back then submit
asks whether it is the same conflict instead of reporting it again."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from casework.clock import epoch_seconds

FACTS = "Les ânes de Zanabougou ont piétiné le jardin de la coopérative des femmes."
OTHER_FACTS = "Deux pêcheurs se disputent un filet sur le marigot de Sido."


def _fill_intake(page, facts: str, village: str) -> None:
    page.get_by_label("Village ou quartier").fill(village)
    page.get_by_label("Type de conflit").select_option(label="Agriculteurs-éleveurs")
    page.get_by_label("Ce qui s'est passé").fill(facts)
    page.locator("#parties-0-name").fill("Mariam Dembélé")
    page.locator("#parties-0-sex").select_option(label="Femme")
    page.locator("#parties-0-age_group").select_option(label="Adulte")
    page.get_by_label("Signalé par", exact=True).fill("Awa Ɲaarɛ")


def _age_the_session(phone, app, minutes: int) -> None:
    """As if the phone had been left `minutes` without a request: the signed cookie's clock is
    moved back (the server signs it; nobody else can)."""
    serializer = app.session_interface.get_signing_serializer(app)
    name = app.config["SESSION_COOKIE_NAME"]
    cookie = next(c for c in phone.context.cookies() if c["name"] == name)
    data = serializer.loads(cookie["value"])
    data["seen_at"] = epoch_seconds() - minutes * 60
    phone.context.add_cookies([{**cookie, "value": serializer.dumps(data)}])


def test_back_then_submit_asks_whether_it_is_the_same_conflict(phone):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.goto("/cases/new")
    _fill_intake(page, OTHER_FACTS, "Sido")
    page.get_by_role("button", name="Signaler le conflit").click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(re.compile(r"BGN-\d{4}-\d{4}"))
    reference = re.search(r"BGN-\d{4}-\d{4}", heading.inner_text()).group(0)

    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text("Signaler un conflit")
    if page.get_by_label("Ce qui s'est passé").input_value() != OTHER_FACTS:
        _fill_intake(page, OTHER_FACTS, "Sido")  # as the phone refills them
    page.get_by_role("button", name="Signaler le conflit").click()
    question = page.locator("#look-alike")
    expect(question).to_contain_text(f"Est-ce le même conflit que {reference} ?")
    expect(question).to_be_in_viewport()
    phone.screenshot("intake-asks-about-a-look-alike")
    page.get_by_role("link", name=f"Oui, c'est le même : ouvrir {reference}").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
    page.goto("/cases?q=marigot+de+Sido")
    expect(page.get_by_text(reference)).to_have_count(1)
    assert len(re.findall(r"BGN-\d{4}-\d{4}", page.locator("main").inner_text())) == 1


def test_a_form_sent_after_the_session_ended_comes_back_to_the_same_person(phone,
                                                                           live_server):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.goto("/cases/new")
    _fill_intake(page, FACTS, "Zanabougou")
    _age_the_session(phone, live_server.app, 31)
    page.get_by_role("button", name="Signaler le conflit").click()
    page.wait_for_url("**/login")
    expect(page.get_by_text("Ce que vous avez saisi est gardé")).to_be_visible()
    assert FACTS not in page.content() and FACTS not in page.url
    phone.screenshot("session-ended-form-kept")

    page.get_by_label("Nom d'utilisateur").fill("mediateur.bougouni")
    page.get_by_label("Mot de passe").fill("demo-palabre-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/cases/new")
    expect(page.get_by_label("Ce qui s'est passé")).to_have_value(FACTS)
    expect(page.locator("#parties-0-name")).to_have_value("Mariam Dembélé")
    expect(page.get_by_label("Village ou quartier")).to_have_value("Zanabougou")
    page.get_by_role("button", name="Signaler le conflit").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile(r"BGN-\d{4}-\d{4}"))
    expect(page.get_by_text(FACTS)).to_be_visible()


def test_someone_else_signing_in_on_the_phone_sees_nothing_of_it(phone, live_server):
    page = phone.page
    phone.sign_in("mediateur.bougouni")
    page.goto("/cases/new")
    facts = "Un troupeau a traversé les jardins de Kɔnɔbougou la nuit dernière."
    _fill_intake(page, facts, "Kɔnɔbougou")
    _age_the_session(phone, live_server.app, 31)
    page.get_by_role("button", name="Signaler le conflit").click()
    page.wait_for_url("**/login")
    page.get_by_label("Nom d'utilisateur").fill("maire.bougouni")
    page.get_by_label("Mot de passe").fill("demo-palabre-2026")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(lambda url: "/login" not in url)
    assert facts not in page.content()
    phone.sign_out()
    phone.sign_in("mediateur.bougouni")
    page.goto("/cases/new")
    expect(page.get_by_label("Ce qui s'est passé")).to_have_value("")
