"""Each XLSX export says what it covers (communes, period, filters, the day it was made) in a
last sheet, and names its sheets in full: a title longer than Excel's 31 characters gets a
short name of its own, never a title cut off."""
import io

import openpyxl
import pytest
from flask_babel import force_locale

from casework.clock import local_today
from casework.exports.dashboard_tables import dashboard_tables
from casework.exports.files import SHEET_NAME_LENGTH
from casework.exports.mechanism_tables import mechanism_tables
from casework.queries import dashboard, mechanism_figures
from casework.queries.filters import CaseFilters
from tests.dates import typed

EXPORTS = ["/exports/cases.xlsx", "/exports/dashboard.xlsx", "/exports/mechanisms.xlsx"]


@pytest.mark.parametrize("path", EXPORTS)
def test_the_workbook_says_what_it_covers_with_every_sheet_named_in_full(
        app, login, people, elsewhere, make_user, make_case, path):
    make_case(conflict_type="land")
    coordinator = make_user((people.commune, "coordinator"), (elsewhere.commune, "coordinator"))
    client = login(coordinator, app.test_client())
    start = typed(-30)
    response = client.get(f"{path}?commune={people.commune.id}&type=land&from={start}")
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames[-1] == "Couverture"
    coverage = {row[0]: row[1] for row in book["Couverture"].iter_rows(values_only=True)}
    assert coverage["Communes"] == people.commune.name  # not the other commune covered
    assert coverage["Nombre de communes"] == 1
    assert coverage["Période du"].date().isoformat() == start and coverage["au"] is None
    assert coverage["Établi le"].date() == local_today()
    if path != "/exports/mechanisms.xlsx":  # the mechanisms' figures take no type
        assert coverage["Type de conflit"] == "Foncier"
    for name in book.sheetnames:  # each sheet listed beside its full title
        assert coverage[f"Feuille « {name} »"]


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_no_sheet_name_is_cut_off(app, people, locale):
    """A title longer than 31 characters has a short name of its own, in either language."""
    ids = {people.commune.id}
    with app.test_request_context(), force_locale(locale):
        tables = [*dashboard_tables(dashboard.build(ids, CaseFilters())),
                  *mechanism_tables(mechanism_figures.build(ids))]
        names = [str(t.sheet or t.title) for t in tables]
    assert all(len(name) <= SHEET_NAME_LENGTH for name in names), names
    assert len(set(names)) == len(names)
