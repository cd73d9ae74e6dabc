"""Tables to CSV (UTF-8 with a BOM, so that Excel reads accents; `;` between cells for French
users, `,` for English ones, as their Excel splits them) or XLSX, formula-safe.

A cell that a spreadsheet would run as a formula (text starting with = + - @, a tab or a
carriage return) is written as text: in CSV behind a leading apostrophe, in XLSX as a
string cell. Numbers and dates stay numbers and dates. Text loses its control characters
(casework/plaintext.py) before either: an XLSX file cannot hold them, and a value stored
before the rule may carry one.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from .. import plaintext

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list]
    sheet: str = ""  # a short name for its XLSX sheet, when the title is longer than 31


SHEET_NAME_LENGTH = 31  # Excel's limit


def _plain(value):
    """A value as a cell holds it: labels as text, aware datetimes as naive (Bamako = UTC)."""
    if value is None or isinstance(value, (bool, int, float, date)):
        return value.replace(tzinfo=None) if isinstance(value, datetime) else value
    return plaintext.cleaned(str(value))


def csv_cell(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, date):
        return value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) \
            else value.isoformat()
    text = str(value)
    return "'" + text if isinstance(value, str) and text.startswith(FORMULA_STARTS) else text


# The separator Excel expects on opening a CSV file, by the language of the person who
# exports it: a French Excel splits on semicolons (the comma is its decimal mark).
SEPARATORS = {"fr": ";", "en": ","}


def separator(language: str) -> str:
    return SEPARATORS.get(language[:2], ",")


def to_csv(tables: list[Table], delimiter: str = ",") -> bytes:
    """One table, or several one after the other, each under its title and a blank line."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for index, table in enumerate(tables):
        if len(tables) > 1:
            if index:
                writer.writerow([])
            writer.writerow([csv_cell(table.title)])
        writer.writerow([csv_cell(h) for h in table.headers])
        writer.writerows([csv_cell(v) for v in row] for row in table.rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def whole_words(text: str, length: int = SHEET_NAME_LENGTH) -> str:
    """As many whole words of `text` as fit in `length` characters (a longer first word is
    cut), without any of []:*?/\\ that a sheet name may not hold."""
    words = "".join(" " if c in "[]:*?/\\" else c for c in _plain(text)).split()
    name = ""
    for word in words:
        if len(name) + bool(name) + len(word) > length:
            break
        name = f"{name} {word}" if name else word
    return name or (words[0][:length] if words else "")


def sheet_names(tables: list[Table]) -> list[str]:
    """Each table's sheet name: its short name or its title, whole words within Excel's 31
    characters, unique."""
    used: set[str] = set()
    names = []
    for table in tables:
        base = whole_words(table.sheet or table.title) or "Table"
        name, n = base, 2
        while name in used:
            suffix = f" ({n})"
            name, n = whole_words(base, SHEET_NAME_LENGTH - len(suffix)) + suffix, n + 1
        used.add(name)
        names.append(name)
    return names


def to_xlsx(tables: list[Table]) -> bytes:
    book = Workbook(write_only=True)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = book.create_sheet(name)
        sheet.append([_text_cell(sheet, _plain(h)) for h in table.headers])
        for row in table.rows:
            sheet.append([_xlsx_cell(sheet, v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(sheet, text) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=str(text))
    cell.data_type = "s"  # never a formula, whatever it starts with
    return cell


def _xlsx_cell(sheet, value):
    value = _plain(value)
    return _text_cell(sheet, value) if isinstance(value, str) else value


def render(fmt: str, tables: list[Table], language: str = "en") -> bytes:
    return to_csv(tables, separator(language)) if fmt == "csv" else to_xlsx(tables)
