"""Writing tables: formula escaping, BOM, sheet names."""
import io

import openpyxl
import pytest

from casework.exports.files import Table, csv_cell, to_csv, to_xlsx


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx"])
def test_a_formula_start_is_escaped_in_csv(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize("value, cell", [(-3, "-3"), (2.5, "2.5"), ("Ségou", "Ségou"),
                                         (None, ""), (True, "1"), ("a=b", "a=b")])
def test_other_values_are_left_alone(value, cell):
    assert csv_cell(value) == cell


def test_xlsx_keeps_formula_like_text_as_text_and_numbers_as_numbers():
    values = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", -3, "Kɔnɛ"]
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx([Table("T", ["h"] * 8, [values])])))
    row = list(book.worksheets[0].iter_rows(min_row=2))[0]
    # A carriage return may come back as a line feed (it does unless openpyxl writes with
    # lxml, which pikepdf brings in, and escapes it); the cell is text either way.
    assert [c.value.replace("\r", "\n") if isinstance(c.value, str) else c.value
            for c in row] == [v.replace("\r", "\n") if isinstance(v, str) else v
                              for v in values]
    assert [c.data_type for c in row] == ["s"] * 6 + ["n", "s"]


def test_csv_starts_with_a_bom_and_titles_several_tables():
    data = to_csv([Table("Un", ["a"], [[1]]), Table("Deux", ["b"], [[2]])])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").split("\r\n")[:6] == ["Un", "a", "1", "", "Deux", "b"]


def test_sheet_names_are_valid_and_unique():
    tables = [Table("Dossiers: juin/juillet [2026] et bien plus encore", ["a"], []),
              Table("Dossiers: juin/juillet [2026] et bien plus encore", ["a"], [])]
    names = openpyxl.load_workbook(io.BytesIO(to_xlsx(tables))).sheetnames
    assert len(set(names)) == 2 and all(len(n) <= 31 for n in names)
    assert not any(c in "".join(names) for c in "[]:*?/\\")
