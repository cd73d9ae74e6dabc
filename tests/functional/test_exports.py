"""Exports of the case list and the dashboard: the screen's filters and access rules, formula
escaping, de-identified confidential cases, and an event for each export."""
import csv
import io

import openpyxl
import pytest
from sqlalchemy import select

from casework.extensions import db
from casework.models import Event
from casework.services.cases import PartyInput


def read(response, fmt):
    """The rows of an exported file, as lists of strings (None for an empty XLSX cell)."""
    assert response.status_code == 200, response.status_code
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Cache-Control"] == "no-store"
    if fmt == "csv":
        body = response.data
        assert body.startswith("\ufeff".encode())  # Excel reads UTF-8 accents with a BOM
        # `;` between cells: the user reads French, and so does their Excel
        return list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    return [[cell.value for cell in row] for row in book.worksheets[0].iter_rows()]


def cells(rows):
    return {str(value) for row in rows for value in row if value is not None}


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_mayors_export_never_holds_another_communes_case(client, login, people, elsewhere,
                                                           make_case, fmt):
    mine, theirs = make_case(village="Kola"), make_case(who=elsewhere, village="Gouana")
    login(people.mayor)
    for query in ("", f"?commune={elsewhere.commune.id}", f"?q={theirs.reference}"):
        values = cells(read(client.get(f"/exports/cases.{fmt}{query}"), fmt))
        assert theirs.reference not in values and "Gouana" not in values
    assert mine.reference in cells(read(client.get(f"/exports/cases.{fmt}"), fmt))


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_filters_of_the_screen_apply(client, login, people, make_case, fmt):
    land, family = make_case(conflict_type="land"), make_case(conflict_type="family")
    login(people.coordinator)
    values = cells(read(client.get(f"/exports/cases.{fmt}?type=family"), fmt))
    assert family.reference in values and land.reference not in values


# What people type that a spreadsheet would run (the service strips leading tabs and returns;
# tests/unit/test_export_files.py covers those).
DANGEROUS = ["=HYPERLINK(\"http://x\")", "+2236677", "-1+1", "@SUM(A1)"]


@pytest.fixture
def dangerous_cases(people, make_case):
    return [make_case(village=value, parties=[PartyInput(name=value, sex="M", age_group="adult")])
            for value in DANGEROUS]


def test_formulas_are_exported_as_text_in_csv(client, login, people, dangerous_cases):
    login(people.coordinator)
    rows = read(client.get("/exports/cases.csv?names=1"), "csv")
    header = rows[0]
    villages = {row[header.index("Village")] for row in rows[1:]}
    parties = {row[header.index("Parties")] for row in rows[1:]}
    assert villages == parties == {"'" + value for value in DANGEROUS}


def test_formulas_are_exported_as_text_in_xlsx(client, login, people, dangerous_cases):
    login(people.coordinator)
    response = client.get("/exports/cases.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).worksheets[0]
    header = [c.value for c in sheet[1]]
    column = header.index("Village") + 1
    villages = [sheet.cell(row=r, column=column) for r in range(2, 2 + len(DANGEROUS))]
    assert {c.value for c in villages} == set(DANGEROUS)
    assert {c.data_type for c in villages} == {"s"}  # text, never a formula
    assert b"<f>" not in _sheet_xml(response.data)


def _sheet_xml(data: bytes) -> bytes:
    import zipfile
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if "worksheets" in n)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("who", ["mediator", "mayor", "coordinator"])
def test_the_names_leave_only_when_asked_for(client, login, people, make_case, fmt, who):
    shown = make_case(village="Kola", parties=[
        PartyInput(name="Awa Diallo", sex="F", age_group="adult")])
    hidden = make_case(conflict_type="gbv", village="Sido", parties=[
        PartyInput(name="Fanta Sanogo", sex="F", age_group="youth")])
    login(getattr(people, who))
    shared = read(client.get(f"/exports/cases.{fmt}"), fmt)
    assert "Parties" not in shared[0]
    values = cells(shared)
    assert {shown.reference, hidden.reference, "Kola"} <= values
    assert not {v for v in values if "Diallo" in v or "Sanogo" in v or v == "Sido"}
    named = cells(read(client.get(f"/exports/cases.{fmt}?names=1"), fmt))
    assert "Awa Diallo" in named and not any("Sanogo" in value for value in named)
    told = db.session.scalars(select(Event).where(Event.kind == "export.cases")
                              .order_by(Event.id)).all()
    assert [e.data["names"] for e in told] == [False, True]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_confidential_cases_leave_without_names(client, login, people, make_case, fmt):
    case = make_case(conflict_type="gbv", parties=[
        PartyInput(name="Fanta Sanogo", sex="F", age_group="youth")])
    login(people.coordinator)  # who may see the names on screen, still not in a file
    values = cells(read(client.get(f"/exports/cases.{fmt}?names=1"), fmt))
    assert case.reference in values
    assert not any("Sanogo" in value for value in values)


@pytest.mark.parametrize("path, kind", [("/exports/cases.csv?type=land", "export.cases"),
                                        ("/exports/dashboard.xlsx?type=land", "export.dashboard")])
def test_every_export_is_logged(client, login, people, make_case, path, kind):
    make_case(conflict_type="land")
    make_case(conflict_type="family")
    login(people.coordinator)
    assert client.get(path).status_code == 200
    event = db.session.scalars(select(Event).where(Event.kind == kind)).one()
    assert event.actor_id == people.coordinator.id
    assert event.data["filters"] == {"conflict_type": "land"}
    assert event.data["format"] == path.rsplit(".", 1)[1].split("?")[0]
    if kind == "export.cases":
        assert event.data["rows"] == 1


def test_dashboard_export_holds_the_figures(client, login, people, make_case):
    make_case(conflict_type="land")
    login(people.mayor)
    rows = read(client.get("/exports/dashboard.csv"), "csv")
    assert rows[0] == ["Chiffres clés"]  # in the reader's language: French by default
    figures = {row[0]: row[1] for row in rows[2:20] if len(row) > 1}
    assert figures["Nouveaux dossiers dans la période"] == "1"


@pytest.mark.parametrize("path, who, status", [
    ("/exports/cases.pdf", "coordinator", 404),
    ("/exports/dashboard.csv", "mediator", 403),
    ("/exports/cases.csv", "mediator", 200),
])
def test_formats_and_roles(client, login, people, path, who, status):
    login(getattr(people, who))
    assert client.get(path).status_code == status


def test_too_big_an_export_is_refused_with_a_reason(app, client, login, people, make_case):
    make_case()
    make_case()
    login(people.coordinator)
    app.config["EXPORT_MAX_ROWS"] = 1
    try:
        response = client.get("/exports/cases.csv", follow_redirects=True)
    finally:
        app.config["EXPORT_MAX_ROWS"] = 50_000
    assert "2 dossiers correspondent à ces filtres" in response.get_data(as_text=True)
    assert db.session.scalar(select(Event).where(Event.kind == "export.cases")) is None


@pytest.mark.parametrize("language, separator", [("fr", ";"), ("en", ",")])
def test_the_csv_is_split_as_the_users_excel_expects(app, people, make_case, login, language,
                                                      separator):
    """A French Excel splits a CSV on semicolons on opening it, an English one on commas."""
    make_case()
    client = login(people.coordinator, app.test_client())
    client.post("/account/language", data={"language": language})
    body = client.get("/exports/cases.csv").data.decode("utf-8-sig")
    header = body.splitlines()[0]
    other = "," if separator == ";" else ";"
    assert header.count(separator) >= 5 and other not in header


def test_the_case_export_carries_facts_agreement_follow_up_channel_and_victims(
        app, people, make_case, login):
    from casework.clock import local
    followed = make_case("followed_up", injuries=2, deaths=1, violence=True)
    plain = make_case()
    client = login(people.coordinator, app.test_client())
    rows = read(client.get("/exports/cases.csv"), "csv")
    header = rows[0]
    by_reference = {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}
    row = by_reference[followed.reference]
    assert row["Date des faits"] == followed.facts_date.isoformat()
    assert row["Canal"] == "En personne"
    assert (row["Blessés"], row["Morts"]) == ("2", "1")
    signed = local(followed.current_agreement.decided_at).date()
    assert row["Accord signé le"] == signed.isoformat()
    assert (row["Visites de suivi"], row["Résultat du dernier suivi"]) == (
        "2", "Accord respecté")
    empty = by_reference[plain.reference]
    assert (empty["Accord signé le"], empty["Visites de suivi"],
            empty["Résultat du dernier suivi"]) == ("", "0", "")
