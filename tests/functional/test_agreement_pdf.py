"""The conciliation record as a PDF in French: what it says, the sign-offs recorded so far,
Bambara letters printed as written (the font is embedded), and who may print it."""
import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from casework.clock import local_today
from casework.extensions import db
from casework.models import Event
from casework.services import signoffs, transitions
from casework.services.cases import PartyInput
from casework.services.transitions import TransitionInput
from tests.factories import advance

PARTIES = [PartyInput(name="N'Golo Diarra", sex="M", age_group="adult"),
           PartyInput(name="Campement peul de Sɛrɛkɔrɔ", sex="X", age_group="mixed",
                      kind="community", people_count=40)]
TERMS = "Le couloir de passage est rouvert ; Ŋaraba et Ɲɛlɛni gardent leurs champs."


def _proposed(make_case, people, **values):
    case = make_case("in_mediation", parties=PARTIES, village="Faragouaran",
                     description="Des bœufs ont dévasté un champ de coton.", **values)
    advance(people, case, "step")
    transitions.fire(people.mediator, case, "resolve", TransitionInput(agreement_text=TERMS))
    db.session.commit()
    return case


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def _url(case):
    proposal = case.proposals[-1]
    return f"/cases/{case.reference}/agreements/{proposal.id}.pdf"


def test_the_record_says_what_was_agreed_and_who_signed_so_far(client, login, people,
                                                               make_case):
    case = _proposed(make_case, people)
    signoffs.sign_off(people.mayor, case.pending_proposal, "approve", "Bon accord.")
    db.session.commit()
    login(people.mediator)
    response = client.get(_url(case))
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="pv-conciliation-{case.reference}.pdf"')
    assert response.headers["Cache-Control"] == "no-store"
    words = " ".join(_pdf_text(response).split())
    today = local_today().strftime("%d/%m/%Y")
    for expected in ("Procès-verbal de conciliation", case.reference, people.commune.name,
                     "Faragouaran", "N'Golo Diarra", "Campement peul de Sɛrɛkɔrɔ",
                     "Des bœufs ont dévasté un champ de coton.", TERMS,
                     people.mediator.full_name, people.mayor.full_name,
                     f"Approuvé dans Palabre le {today}.",
                     "Pas encore enregistré dans Palabre.",
                     "Partie : signature ou empreinte digitale"):
        assert expected in words, expected
    # The chief has not signed yet: the record leaves their line to fill by hand.
    assert people.chief.full_name not in words


def test_the_font_with_bambara_letters_is_embedded(client, login, people, make_case):
    case = _proposed(make_case, people)
    login(people.mediator)
    reader = PdfReader(io.BytesIO(client.get(_url(case)).data))
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]
    embedded = [font for font in fonts if "/DescendantFonts" in font and "/FontFile2" in
                font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()]
    assert embedded and all(re.search(r"DejaVu", font["/BaseFont"]) for font in embedded)


def test_printing_is_an_event(client, login, people, make_case):
    case = _proposed(make_case, people)
    login(people.mayor)
    assert client.get(_url(case)).status_code == 200
    event = db.session.scalars(select(Event).where(Event.kind == "export.agreement")).one()
    assert event.actor_id == people.mayor.id and event.case_id == case.id
    assert event.data["proposal_id"] == case.proposals[-1].id


@pytest.mark.parametrize("who, status", [
    ("mediator", 200), ("mayor", 200), ("chief", 200), ("coordinator", 200),
    ("stranger_mayor", 404), ("stranger_mediator", 404)])
def test_who_may_print_it(client, login, people, elsewhere, make_case, who, status):
    case = _proposed(make_case, people)
    user = (getattr(elsewhere, who.removeprefix("stranger_")) if who.startswith("stranger")
            else getattr(people, who))
    login(user)
    assert client.get(_url(case)).status_code == status


def test_only_a_waiting_or_approved_agreement_prints(client, login, people, make_case):
    case = _proposed(make_case, people)
    signoffs.sign_off(people.mayor, case.pending_proposal, "reject", "Le couloir est trop étroit.")
    db.session.commit()
    login(people.mediator)
    assert client.get(_url(case)).status_code == 404
    assert client.get(f"/cases/{case.reference}/agreements/999999.pdf").status_code == 404
    assert client.get(_url(make_case("resolved"))).status_code == 200


def test_the_case_page_offers_it(client, login, people, make_case):
    case = _proposed(make_case, people)
    login(people.mediator)
    assert _url(case) in client.get(f"/cases/{case.reference}").get_data(as_text=True)
