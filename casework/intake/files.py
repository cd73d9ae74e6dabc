"""Reading a file of KoboToolbox / ODK submissions: a CSV or XLSX export, or the data API's JSON.

Each reader yields (row number, {column path: value}); the row number is the one a person
finds in the file (the first data row is 1, the heading not counted; the JSON's first result is
1). Column paths are normalised to `group/name`: KoboToolbox writes `signalement/commune`, ODK
Central `signalement-commune`, and some exports `signalement.commune`; an export with labels or
without groups is read through its headings (intake/headings.py).

A file is refused past KOBO_IMPORT_MAX_ROWS submissions. An XLSX (a ZIP) is refused when its
parts would inflate past MAX_XLSX_BYTES, or far more than such files do, as the ZIP declares
them, before anything is inflated; it is then read as a stream (openpyxl's read-only mode),
its declared dimensions ignored, so memory stays bounded.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator

from flask import current_app
from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from ..errors import InvalidInput
from .headings import resolve

SEPARATORS = re.compile(r"[-.]")
# A description may be long: a cell may take the whole upload (csv stops at 128 KiB).
MAX_CELL = 8 * 1024 * 1024
Rows = Iterator[tuple[int, dict]]
# A ZIP part may inflate to this much at most, all parts together; a part over a megabyte may
# not inflate more than MAX_XLSX_RATIO times (exports inflate 5 to 20 times; bombs, 1,000).
MAX_XLSX_BYTES = 64 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_XLSX_PARTS = 1000
MAX_COLUMNS = 1000
# Blank rows are skipped, not counted; this many at most, so that a sheet that goes on to row
# 1,048,576 is not read to its end.
MAX_BLANK_ROWS = 1000


def path(heading) -> str:
    """A column's heading as a path: spaces trimmed, group separators made `/`."""
    text = str(heading or "").strip()
    if text.startswith("_"):  # KoboToolbox's own columns: _uuid, _submission_time, ...
        return text
    return SEPARATORS.sub("/", text)


def _unreadable(kind: str) -> InvalidInput:
    return InvalidInput(_l("This file cannot be read as %(kind)s: export the submissions from "
                           "KoboToolbox or ODK as CSV, XLSX or JSON.", kind=kind), field="file")


def _too_many(max_rows: int) -> InvalidInput:
    return InvalidInput(_l("This file holds more than %(limit)d submissions: export fewer at a "
                           "time (by date) and import each file.", limit=max_rows), field="file")


def _blank(cells) -> bool:
    return all(cell is None or str(cell).strip() == "" for cell in cells)


def _numbered(body, max_rows: int):
    """(row number, cells) of the rows that are not blank; refused past `max_rows`."""
    number = blank = 0
    for cells in body:
        if _blank(cells):
            blank += 1
            if blank > MAX_BLANK_ROWS:
                raise _too_many(max_rows)
            continue
        number += 1
        if number > max_rows:
            raise _too_many(max_rows)
        yield number, cells


def read_csv(data: bytes, max_rows: int) -> Rows:
    try:
        text = data.decode("utf-8-sig")  # with or without the byte order mark Excel writes
    except UnicodeDecodeError:
        raise InvalidInput(_l("This CSV file is not in UTF-8: export it again from KoboToolbox "
                              "(it writes UTF-8)."), field="file") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headings = resolve([path(h) for h in next(reader, [])])
    for number, cells in _numbered(reader, max_rows):
        yield number, dict(zip(headings, cells, strict=False))


def check_zip(data: bytes) -> None:
    """Refuse a ZIP whose parts, as it declares them, would inflate too far (a "zip bomb")."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _unreadable("XLSX") from None
    inflated = sum(part.file_size for part in parts)
    if len(parts) > MAX_XLSX_PARTS or inflated > MAX_XLSX_BYTES or any(
            part.file_size > 1024 * 1024
            and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1) for part in parts):
        raise InvalidInput(_l("This XLSX file would take far more room once decompressed than "
                              "such an export does (%(limit)d MB at most): it is refused. Export "
                              "the submissions again from KoboToolbox, or as CSV.",
                              limit=MAX_XLSX_BYTES // (1024 * 1024)), field="file")


def read_xlsx(data: bytes, max_rows: int) -> Rows:
    check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _unreadable("XLSX") from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # the declared size may claim 16,384 columns: ignore it
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        headings = resolve([path(h) for h in next(rows, ())])
        for number, cells in _numbered(rows, max_rows):
            yield number, {h: c for h, c in zip(headings, cells, strict=False) if h}
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):  # a part that lied on its size
        raise _unreadable("XLSX") from None
    finally:
        workbook.close()


def _flatten(record: dict, prefix: str = "") -> dict:
    """A JSON result as flat paths; a repeat group (a list of objects) numbered from 1 as the
    form's fixed groups are: parties/partie -> parties/partie_1, parties/partie_2, ..."""
    flat = {}
    for key, value in record.items():
        name = path(key)
        if isinstance(value, list) and all(isinstance(item, dict) for item in value):
            for index, item in enumerate(value, start=1):
                group = f"{name}_{index}"
                for inner, inner_value in _flatten(item).items():
                    # KoboToolbox repeats the group's path inside each entry.
                    tail = inner.removeprefix(name + "/")
                    flat[f"{group}/{tail}"] = inner_value
        else:
            flat[name] = value
    return flat


def read_json(data: bytes, max_rows: int) -> Rows:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise _unreadable("JSON") from None
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        raise InvalidInput(_l("This JSON holds no list of submissions: save the answer of "
                              "KoboToolbox's data API (its \"results\")."), field="file")
    if len(results) > max_rows:
        raise _too_many(max_rows)
    for number, record in enumerate(results, start=1):
        yield number, _flatten(record) if isinstance(record, dict) else {}


def read_submissions(data: bytes, filename: str = "", *,
                     max_rows: int | None = None) -> list[tuple[int, dict]]:
    """The submissions of a file, by its content (a ZIP is XLSX, a `{` or `[` is JSON); an
    unreadable file, or one of more than `max_rows` submissions (KOBO_IMPORT_MAX_ROWS), raises
    InvalidInput before any row is taken in."""
    if max_rows is None:
        max_rows = current_app.config["KOBO_IMPORT_MAX_ROWS"]
    name = filename.lower()
    if data.startswith(b"PK") or name.endswith(".xlsx"):
        return list(read_xlsx(data, max_rows))
    if data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"[") or name.endswith(".json"):
        return list(read_json(data, max_rows))
    return list(read_csv(data, max_rows))
