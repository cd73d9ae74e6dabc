"""Reading a file of KoboToolbox / ODK submissions: a CSV or XLSX export, or the data API's JSON.

Each reader yields (row number, {column path: value}); the row number is the one a person
finds in the file (the first data row is 1, the heading not counted; the JSON's first result is
1). Column paths are normalised to `group/name`: KoboToolbox writes `signalement/commune`, ODK
Central `signalement-commune`, and some exports `signalement.commune`.
"""
from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Iterator

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from ..errors import InvalidInput

SEPARATORS = re.compile(r"[-.]")
# A description may be long: a cell may take the whole upload (csv stops at 128 KiB).
MAX_CELL = 8 * 1024 * 1024
Rows = Iterator[tuple[int, dict]]


def path(heading) -> str:
    """A column's heading as a path: spaces trimmed, group separators made `/`."""
    text = str(heading or "").strip()
    if text.startswith("_"):  # KoboToolbox's own columns: _uuid, _submission_time, ...
        return text
    return SEPARATORS.sub("/", text)


def _unreadable(kind: str) -> InvalidInput:
    return InvalidInput(_l("This file cannot be read as %(kind)s: export the submissions from "
                           "KoboToolbox or ODK as CSV, XLSX or JSON.", kind=kind), field="file")


def read_csv(data: bytes) -> Rows:
    try:
        text = data.decode("utf-8-sig")  # with or without the byte order mark Excel writes
    except UnicodeDecodeError:
        raise InvalidInput(_l("This CSV file is not in UTF-8: export it again from KoboToolbox "
                              "(it writes UTF-8)."), field="file") from None
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    csv.field_size_limit(max(csv.field_size_limit(), MAX_CELL))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headings = [path(h) for h in next(reader, [])]
    number = 0
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        number += 1
        yield number, dict(zip(headings, cells, strict=False))


def read_xlsx(data: bytes) -> Rows:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise _unreadable("XLSX") from None
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headings = [path(h) for h in next(rows, ())]
        number = 0
        for cells in rows:
            if all(cell is None or str(cell).strip() == "" for cell in cells):
                continue
            number += 1
            yield number, {h: c for h, c in zip(headings, cells, strict=False) if h}
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


def read_json(data: bytes) -> Rows:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise _unreadable("JSON") from None
    results = document.get("results") if isinstance(document, dict) else document
    if not isinstance(results, list):
        raise InvalidInput(_l("This JSON holds no list of submissions: save the answer of "
                              "KoboToolbox's data API (its \"results\")."), field="file")
    for number, record in enumerate(results, start=1):
        yield number, _flatten(record) if isinstance(record, dict) else {}


def read_submissions(data: bytes, filename: str = "") -> list[tuple[int, dict]]:
    """The submissions of a file, by its content (a ZIP is XLSX, a `{` or `[` is JSON); an
    unreadable file raises InvalidInput before any row is taken in."""
    name = filename.lower()
    if data.startswith(b"PK") or name.endswith(".xlsx"):
        return list(read_xlsx(data))
    if data.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] in (b"{", b"[") or name.endswith(".json"):
        return list(read_json(data))
    return list(read_csv(data))
