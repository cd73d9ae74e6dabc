"""The programme report on a 360 px phone, as the demo donor (bailleur) opens it: no sideways
scroll, every indicator with its chart and its numbers, no case reachable; its PDF read back
with pypdf."""
from __future__ import annotations

import io

from playwright.sync_api import expect
from pypdf import PdfReader


def test_the_donor_reads_and_prints_the_programme_report(phone):
    page = phone.page
    phone.sign_in("bailleur")
    nav = page.get_by_role("navigation")
    expect(nav.get_by_role("link", name="Rapport du programme")).to_be_visible()
    expect(nav.get_by_role("link", name="Dossiers")).to_have_count(0)
    phone.visit("/reports/programme")
    expect(page.get_by_role("heading", level=1)).to_have_text("Rapport du programme")
    expect(page.locator("section")).to_have_count(23)  # 21 + the referrals, 6.1 and 6.2
    expect(page.locator("svg.chart").first).to_be_visible()
    assert not phone.layout().scrolls_sideways
    phone.screenshot("programme-report")
    page.emulate_media(media="print")
    phone.screenshot("programme-report-print")
    response = page.request.get("/reports/programme.pdf")
    assert response.ok
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.body())).pages)
    assert "Rapport du programme pour Ambassade du Royaume-Uni" in text
    assert "1.1" in text and "5.2" in text and "6.2" in text
    assert "Orientations vers les services, par réponse" in text
    assert phone.visit("/cases") and phone.status == 403
