"""The procès-verbal as a paper a mayor signs: the Republic's motto, the mairie's stamp, each
party's village and role and the witnesses; the terms and every signature block on one page
(read back with pypdf, and seen on the pages pdftoppm draws); dated by the approval; marked
across when it is a draft or found broken; Arabic script shaped and kept in its order; a
character the font lacks shows as a mark."""
import io
import shutil
import subprocess  # nosec B404  # pdftoppm, on a file the test wrote
from datetime import timedelta

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from casework.clock import local_today, utcnow
from casework.extensions import db
from casework.models import Case
from casework.services import followups, signoffs, transitions
from casework.services.cases import PartyInput
from casework.services.followups import FollowUpInput
from casework.services.transitions import TransitionInput
from tests.factories import advance

from .pages import hidden_fields, text

ARABIC_NAME = "محمد الأمين"
PARTIES = [PartyInput(name="Awa Traoré", sex="F", age_group="adult", village="Faragouaran",
                      role="plaignante"),
           PartyInput(name=ARABIC_NAME, sex="M", age_group="adult", village="Kola",
                      role="éleveur mis en cause")]
TERMS = "Le couloir de passage est rouvert avant l'hivernage."


def _proposed(make_case, people, terms=TERMS, witnesses="Seydou Coulibaly, Kola",
              description="Des bœufs ont dévasté un champ de coton."):
    case = make_case("in_mediation", parties=PARTIES, village="Faragouaran",
                     description=description)
    advance(people, case, "step")
    transitions.fire(people.mediator, case, "resolve",
                     TransitionInput(agreement_text=terms, witnesses=witnesses))
    db.session.commit()
    return case


def _approved(people, case):
    for who in (people.mayor, people.chief):
        signoffs.sign_off(who, case.pending_proposal, "approve", "")
    db.session.commit()


def _pdf(client, case) -> bytes:
    proposal = case.proposals[-1]
    response = client.get(f"/cases/{case.reference}/agreements/{proposal.id}.pdf")
    assert response.status_code == 200
    return response.data


def _pages(body: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(body)).pages]


def test_a_pending_one_is_a_draft_with_the_motto_the_stamp_village_role_and_witnesses(
        client, login, people, make_case):
    case = _proposed(make_case, people)
    login(people.mediator)
    pages = _pages(_pdf(client, case))
    words = " ".join(pages)
    for expected in ("RÉPUBLIQUE DU MALI", "Un Peuple – Un But – Une Foi", "Cachet de la mairie",
                     "Awa Traoré (village : Faragouaran · rôle : plaignante)",
                     "rôle : éleveur mis en cause", "Témoins", "Seydou Coulibaly, Kola",
                     "Témoin : signature ou empreinte digitale", "Fait à Faragouaran",
                     "en attente des signatures"):
        assert expected in words, expected
    # Across every page, and each page numbered with a place to initial.
    assert all("PROJET — non signé" in page for page in pages)
    assert all(f"page {n}/{len(pages)}" in page and "Paraphes" in page
               for n, page in enumerate(pages, 1))


def test_an_approved_one_is_dated_by_its_last_signoff_and_has_no_draft_mark(
        client, login, people, make_case):
    case = _proposed(make_case, people)
    proposal = case.pending_proposal
    proposal.proposed_at = utcnow() - timedelta(days=6)
    proposed = (local_today() - timedelta(days=6)).strftime("%d/%m/%Y")
    _approved(people, case)
    login(people.mayor)
    words = " ".join(_pages(_pdf(client, case)))
    today = local_today().strftime("%d/%m/%Y")
    assert f"accord approuvé le {today}" in words
    assert f"Fait à Faragouaran, {people.commune.name}, le {today}" in words
    assert proposed not in words and "PROJET" not in words and "ROMPU" not in words


def test_a_broken_one_says_so_across_the_page(client, login, people, make_case):
    case = _proposed(make_case, people)
    _approved(people, case)
    today = local_today()
    followups.record_follow_up(people.mediator, case, FollowUpInput(
        visit_date=today, outcome="broken", notes="Le couloir est de nouveau fermé."))
    db.session.commit()
    login(people.mediator)
    pages = _pages(_pdf(client, case))
    assert all(f"ACCORD ROMPU le {today.strftime('%d/%m/%Y')}" in page for page in pages)


def test_an_arabic_name_is_printed_in_its_order_and_an_emoji_leaves_a_mark(
        client, login, people, make_case):
    case = _proposed(make_case, people, terms=TERMS + " Accord 🤝 conclu.")
    login(people.mediator)
    words = " ".join(_pages(_pdf(client, case)))
    # Read back in logical order (first letter first), not mirrored.
    assert ARABIC_NAME in words
    assert ARABIC_NAME[::-1] not in words
    assert "Accord □ conclu." in words
    assert "□ marque un caractère que ce document ne peut pas imprimer" in words


def _framed_rows(png) -> int:
    """Rows of the page image that are mostly a dark line: the top and bottom of a row of
    signature blocks (the box to initial, a third of the width, is not one)."""
    image = Image.open(png).convert("L")
    width, height = image.size
    pixels = image.load()
    rows = 0
    for y in range(height):
        dark = sum(1 for x in range(0, width, 2) if pixels[x, y] < 128)
        if dark > 0.6 * width / 2:
            rows += 1
    return rows


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler-utils")
@pytest.mark.parametrize("description_lines", [1, 60])
def test_every_signature_block_shares_the_page_with_the_terms(
        client, login, people, make_case, tmp_path, description_lines):
    """Short facts: all on one page. Long facts: the terms move to the next page with every
    block, so that no signature stands on a page without what it signs."""
    description = "\n".join(["Les bœufs ont traversé le champ de coton."] * description_lines)
    case = _proposed(make_case, people, description=description)
    login(people.mediator)
    body = _pdf(client, case)
    pages = _pages(body)
    (tmp_path / "pv.pdf").write_bytes(body)
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(tmp_path / "pv.pdf"),  # nosec B603 B607
                    str(tmp_path / "page")], check=True)
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) == len(pages)
    with_terms = [n for n, page in enumerate(pages) if TERMS in page]
    with_frames = [n for n, png in enumerate(images) if _framed_rows(png) > 0]
    assert len(with_terms) == 1 and with_frames == with_terms
    page = pages[with_terms[0]]
    for name in ("Awa Traoré", ARABIC_NAME, "Seydou Coulibaly", people.mediator.full_name,
                 "Cachet de la mairie", "Autorité traditionnelle", "Maire ou adjoint au maire"):
        assert name in page, name
    assert len(pages) > 1 or description_lines == 1


def test_the_intake_form_takes_each_partys_village_and_role(client, login, people):
    login(people.mediator)
    page = client.get("/cases/new").get_data(as_text=True)
    assert 'name="parties-0-village"' in page and 'name="parties-0-role"' in page
    form = {**hidden_fields(page), "commune_id": str(people.commune.id), "village": "Kola",
            "conflict_type": "land", "description": "Un champ disputé.",
            "reporter_name": "Awa", "channel": "in_person", "urgency": "normal",
            "parties-0-name": "Awa Traoré", "parties-0-sex": "F", "parties-0-age_group": "adult",
            "parties-0-kind": "person", "parties-0-people_count": "1",
            "parties-0-village": "Faragouaran", "parties-0-role": "plaignante"}
    response = client.post("/cases/new", data=form)
    assert response.status_code == 302, text(response)
    case = db.session.scalar(select(Case).order_by(Case.id.desc()))
    assert [(p.village, p.role) for p in case.parties] == [("Faragouaran", "plaignante")]
    shown = client.get(f"/cases/{case.reference}").get_data(as_text=True)
    assert "village : Faragouaran" in shown and "rôle : plaignante" in shown


def test_the_agreement_form_takes_the_witnesses(client, login, people, make_case):
    case = make_case("in_mediation")
    advance(people, case, "step")
    db.session.commit()
    login(people.mediator)
    url = f"/cases/{case.reference}/actions/resolve"
    page = client.get(url).get_data(as_text=True)
    assert 'name="witnesses"' in page and "Témoins (facultatif" in page
    response = client.post(url, data={**hidden_fields(page), "agreement_text": TERMS,
                                      "witnesses": "Seydou Coulibaly, Kola\n\n  Awa Sangaré \n"})
    assert response.status_code == 302, text(response)
    db.session.refresh(case)
    assert case.pending_proposal.witness_names == ["Seydou Coulibaly, Kola", "Awa Sangaré"]
