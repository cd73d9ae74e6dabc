"""KoboToolbox / ODK submissions as the exports write them: CSV (',' or ';', with or without a
byte order mark), XLSX, and the data API's JSON. Names carry Bambara letters and apostrophes."""
from __future__ import annotations

import csv
import io
import json
import zipfile

from openpyxl import Workbook


def submission(commune: str, uuid: str, **changes) -> dict:
    """One submission as an export's row: column path -> value (None leaves the cell out)."""
    row = {
        "start": "2026-11-20T09:12:00.000+00:00",
        "signalement/commune": commune,
        "signalement/village": "Sɛnou",
        "signalement/type_conflit": "farmer_herder",
        "signalement/date_faits": "2026-11-18",
        # Each submission its own facts: alike ones are not imported twice (test_duplicates).
        "signalement/description": f"Les bœufs de Hamadoun ont mangé le mil du champ de Ɲɛlɛ "
                                   f"(fiche {uuid}).",
        "signalement/violence": "oui",
        "signalement/blesses": "2",
        "signalement/deces": "0",
        "signalement/urgence": "high",
        "declarant/nom": "Fatoumata Dɔnbɛlɛ",
        "declarant/contact": "+223 76 12 34 56",
        "parties/partie_1/nom": "Famille Ŋɔnɔ",
        "parties/partie_1/type": "family",
        "parties/partie_1/sexe": "M",
        "parties/partie_1/age": "adult",
        "parties/partie_1/nombre": "7",
        "parties/partie_2/nom": "Hamadoun N'Diaye",
        "parties/partie_2/type": "person",
        "parties/partie_2/sexe": "M",
        "parties/partie_2/age": "youth",
        "parties/partie_2/nombre": "1",
        "parties/partie_3/nom": "",
        "meta/instanceID": f"uuid:{uuid}",
        "_id": "412",
        "_uuid": uuid,
        "_submission_time": "2026-11-20T14:03:11",
        "_submitted_by": "enqueteur_kola",
        "_validation_status": "",
    }
    row.update(changes)
    return {key: value for key, value in row.items() if value is not None}


def headings(rows: list[dict]) -> list[str]:
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def as_csv(rows: list[dict], *, delimiter=",", bom=False, rename=None) -> bytes:
    out = io.StringIO(newline="")
    columns = headings(rows)
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([rename(c) if rename else c for c in columns])
    for row in rows:
        writer.writerow([row.get(c, "") for c in columns])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def as_xlsx(rows: list[dict]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Signalement de conflit"
    columns = headings(rows)
    sheet.append(columns)
    for row in rows:
        sheet.append([_typed(row.get(c)) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _typed(value):
    """What KoboToolbox's XLSX holds: numbers as numbers."""
    if isinstance(value, str) and value.isdigit() and len(value) < 5:
        return float(value)
    return value


def as_json(rows: list[dict]) -> bytes:
    """The data API's answer: repeat groups as lists of objects (the parties here)."""
    results = []
    for row in rows:
        record = {k: v for k, v in row.items() if not k.startswith("parties/")}
        parties = []
        for number in (1, 2, 3):
            party = {f"parties/partie/{k.rsplit('/', 1)[1]}": v for k, v in row.items()
                     if k.startswith(f"parties/partie_{number}/")}
            if party.get("parties/partie/nom"):
                parties.append(party)
        record["parties/partie"] = parties
        results.append(record)
    return json.dumps({"count": len(results), "next": None, "previous": None,
                       "results": results}, ensure_ascii=False).encode()


def xlsx_bomb(megabytes: int = 10) -> bytes:
    """An export whose sheet inflates a thousand times: a few kilobytes that would be
    `megabytes` of rows once decompressed."""
    row = ("<row>" + "".join(f'<c t="inlineStr"><is><t>{"x" * 90}</t></is></c>'
                             for _ in range(10)) + "</row>").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(as_xlsx([submission("KLA", "bomb-1")]))) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                bomb.writestr(info, source.read(info))
        bomb.writestr("xl/worksheets/sheet1.xml", (
            b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            b'spreadsheetml/2006/main"><sheetData>' + row * (megabytes * 1024 * 1024 // len(row))
            + b"</sheetData></worksheet>"))
    return out.getvalue()
