"""The programme report (/reports/programme) as a page, an XLSX file and a PDF, read back
byte by byte for each role that may open it: the figures of programme.py and
programme_activities.py, no party's name, no facts, no village, no person's name, and no cell
of people under 3 in a commune; the donor's communes only; who may open it."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from casework import logframe
from casework.clock import clock_at
from casework.exports.files import SHEET_NAME_LENGTH
from casework.exports.programme_tables import sheet_name
from tests.factories import new_commune, new_user
from tests.kept import build_on, reloaded

from .pages import text
from .programme import NOW
from .programme_activities import build_world

PERIOD = {"from": "2026-03-01", "to": "2026-04-30"}
# Everything personal the programme holds: the parties, the reporter, the facts, the villages,
# the members, the facilitators, the summaries and the authorities' comments.
PERSONAL = ("Famille Traoré", "Aminata Koné", "Seydou Diallo", "revendiquent", "Kola",
            "Tièmala", "Kéléya", "Sido", "Gouana", "Dalaba", "Oumou Sangaré", "Bakary Sidibé",
            "Aminata Traoré", "Causerie", "Place publique", "Bien.", "Moyen.", "Court.",
            "Le champ", "PDSEC 2026-2030", "Mécanisme A")


@pytest.fixture(autouse=True)
def _at_the_programmes_now():
    with clock_at(NOW):
        yield


@clock_at(NOW)
def _world(town) -> dict:
    people, elsewhere = town.people, town.elsewhere
    _cases, rows, quiet = build_world(people, elsewhere, new_user, new_commune)
    everywhere = [(c, "coordinator") for c in (people.commune, elsewhere.commune, quiet)]
    return {"people": people, "elsewhere": elsewhere, "quiet": quiet,
            "coordinator": new_user(*everywhere),
            "donor": new_user(*((c, "donor") for c, _ in everywhere)),
            "donor_of_a": new_user((people.commune, "donor")), **rows}


@pytest.fixture(scope="module")
def kept_world(app, module_connection, kept_town):
    """The programme and who reads it, built once for the module's tests (tests/kept.py)."""
    return build_on(app, module_connection, lambda: _world(reloaded(kept_town)))


@pytest.fixture
def world(kept_world):
    return reloaded(kept_world)


def xlsx_cells(body: bytes) -> dict[str, list[list]]:
    book = load_workbook(io.BytesIO(body), read_only=True)
    return {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
            for sheet in book.worksheets}


def pdf_text(body: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)


def everything(client, **args) -> dict[str, str]:
    """Each form of the report, as the text a person (or a program) reads in it."""
    page = client.get("/reports/programme", query_string={**PERIOD, **args})
    assert page.status_code == 200
    book = client.get("/reports/programme.xlsx", query_string={**PERIOD, **args})
    pdf = client.get("/reports/programme.pdf", query_string={**PERIOD, **args})
    assert book.status_code == pdf.status_code == 200
    assert pdf.data.startswith(b"%PDF")
    cells = xlsx_cells(book.data)
    return {"html": text(page),
            "xlsx": "\n".join(str(v) for rows in cells.values() for row in rows for v in row
                              if v is not None) + "\n".join(cells),
            "pdf": pdf_text(pdf.data), "cells": cells}


@pytest.mark.parametrize("who", ["coordinator", "donor"])
def test_no_name_no_facts_no_village_leaves(app, world, login, who):
    client = login(world[who], app.test_client())
    found = everything(client)
    for form in ("html", "xlsx", "pdf"):
        for personal in PERSONAL:
            assert personal not in found[form], (who, form, personal)
    # The figures are there all the same.
    assert "1.4 · Sessions de formation tenues" in found["pdf"]
    assert "Sessions de formation tenues" in found["xlsx"]


def _people_cells(cells: dict[str, list[list]]):
    """(sheet, row, value) of every commune's cell that counts people, value column included."""
    people = {i.code for i in logframe.current().indicators if i.people}
    for title, rows in cells.items():
        code = title.split(" ")[0]
        if code not in people:
            continue
        headers = rows[0]
        last = headers.index("Valeur")
        for row in rows[1:]:
            if not row or row[0] in (None, "Total", "Indicateur"):
                break  # the communes' rows come first, then the total and the notes
            yield from ((title, row[0], v) for v in row[1:last + 1])


def test_no_cell_under_3_people(app, world, login):
    client = login(world["donor"], app.test_client())
    found = everything(client)
    values = list(_people_cells(found["cells"]))
    assert values  # the people's sheets were read
    assert not [v for v in values if isinstance(v, int) and 0 < v < 3]
    # Hand-counted small cells: commune A's conflicts (1 per type), young women in mediation (2)
    assert "< 3" in {v for _, _, v in values}
    assert "au plus" not in found["html"]
    a = world["people"].commune.name
    mediation = next(rows for title, rows in found["cells"].items() if title.startswith("3.1"))
    row = next(r for r in mediation if r[0] == a)
    # women 6, men 10, young women 2 (hidden), young men 4 (masked: the commune's participants,
    # read in another indicator, less the others would give the 2 away); the value (women and
    # young women) shows the least it can be, so that 2 is not found again by subtraction
    assert row[1:6] == [6, 10, "< 3", "x", "≥ 7"]
    # The page: every commune's cell of people, value included (the target, last, is not)
    people = {i.code for i in logframe.current().indicators if i.people}
    checked = []
    for section in found["html"].split('<section id="i-')[1:]:
        code = section.split('"')[0]
        if code not in people:
            continue
        rows = re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", section)
        for row in rows:
            cells = [re.sub("<[^>]+>", "", c)
                     for c in re.findall(r"<td class=\"people\">(.*?)</td>", row)]
            assert not {"1", "2"} & set(cells), (code, row)
            checked.extend(cells)
    assert "< 3" in checked and "6" in checked


def test_the_workbook_says_what_it_covers_with_sheet_names_whole(app, world, login):
    client = login(world["coordinator"], app.test_client())
    cells = everything(client, partner=world["amss"].id)["cells"]
    names = list(cells)
    assert names[0] == "Couverture"
    coverage = dict((row[0], row[1]) for row in cells["Couverture"])
    assert coverage["Partenaire"] == "AMSS"
    assert coverage["Nombre de communes"] == 3
    assert coverage["Période du"].date() == date(2026, 3, 1)
    assert world["quiet"].name in coverage["Communes"]
    indicators = logframe.current().indicators
    assert len(names) == 1 + len(indicators)
    for name, indicator in zip(names[1:], indicators, strict=True):
        assert len(name) <= SHEET_NAME_LENGTH
        assert name == sheet_name(indicator.code, indicator.text("label", "fr"))
        label = indicator.text("label", "fr")
        assert label.startswith(name[len(indicator.code) + 1:])  # whole words, never cut
    trainings = next(rows for title, rows in cells.items() if title.startswith("1.4"))
    a = next(r for r in trainings if r[0] == world["people"].commune.name)
    assert a[1] == 1 and isinstance(a[1], int)  # numbers as numbers: t1 only, for AMSS


def test_a_donor_sees_only_the_communes_given(app, world, login):
    client = login(world["donor_of_a"], app.test_client())
    page = text(client.get("/reports/programme", query_string=PERIOD))
    assert world["people"].commune.name in page
    assert world["elsewhere"].commune.name not in page
    asked = client.get("/reports/programme", query_string={
        **PERIOD, "commune": world["elsewhere"].commune.id})
    assert world["elsewhere"].commune.name not in text(asked)


def test_the_page_draws_each_indicator_with_its_numbers(app, world, login):
    client = login(world["coordinator"], app.test_client())
    page = text(client.get("/reports/programme", query_string=PERIOD))
    assert page.count("<svg") >= 10
    for indicator in logframe.current().indicators:
        assert indicator.text("label", "fr") in page
    assert "Cible par commune : 2" in page


@pytest.mark.parametrize("who, status", [
    ("coordinator", 200), ("donor", 200), ("mediator", 403), ("mayor", 403), ("chief", 403),
    ("admin", 403), ("foreign_coordinator", 200)])
def test_who_opens_the_report(app, people, elsewhere, make_user, login, who, status):
    user = {"coordinator": people.coordinator, "donor": make_user((people.commune, "donor")),
            "mediator": people.mediator, "mayor": people.mayor, "chief": people.chief,
            "admin": make_user(is_admin=True),
            "foreign_coordinator": elsewhere.coordinator}[who]
    client = login(user, app.test_client())
    assert client.get("/reports/programme").status_code == status
    assert client.get("/reports/programme.xlsx").status_code == status


@pytest.mark.parametrize("url", ["/dashboard?from=2026-03-01&to=2026-04-30",
                                 "/dashboard/monthly?month=2026-03"])
def test_the_donors_dashboards_leave_nothing_personal_either(app, world, login, url):
    client = login(world["donor"], app.test_client())
    page = client.get(url)
    assert page.status_code == 200
    shown = text(page)
    for personal in PERSONAL:
        assert personal not in shown, (url, personal)
    assert "-2026-" not in shown  # no case reference (COMMUNE-2026-0001)
    # The tables of people: participants, parties, conflicts by type; no 1 or 2 in them.
    read = []
    for label, body in re.findall(r'<div class="table-wrap"[^>]*aria-label="([^"]*)"(.*?)'
                                  r'</table>', page.get_data(as_text=True), re.S):
        if label.startswith(("Participants", "Parties", "Type")):
            cells = re.findall(r"<td>([^<]*)</td>", body)
            assert not {"1", "2"} & set(cells), (label, cells)
            read.append(label)
    assert len(read) == (3 if "monthly" not in url else 2), read
