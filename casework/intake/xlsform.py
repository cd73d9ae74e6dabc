"""Writing the offline reporting form as an XLSForm workbook (sheets survey, choices, settings)."""
from __future__ import annotations

import io
from dataclasses import fields
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook

from . import form_definition as form

# The columns of the survey sheet; translatable ones carry the form's language.
TRANSLATED = ("label", "hint", "constraint_message")
SURVEY_COLUMNS = [f.name for f in fields(form.Question)]
# A fixed date inside the file, so that building it twice gives the same bytes' worth of cells.
BUILT = datetime(2026, 11, 29)


def _heading(column: str) -> str:
    return f"{column}::{form.LANGUAGE}" if column in TRANSLATED else column


def sheets(communes=None) -> dict[str, list[list[str]]]:
    """Every sheet as rows of cells, heading first: what the workbook holds."""
    survey = [[_heading(c) for c in SURVEY_COLUMNS]]
    survey += [[getattr(q, c) for c in SURVEY_COLUMNS] for q in form.survey(communes)]
    choices = [["list_name", "name", _heading("label")]]
    for list_name, answers in form.choice_lists(communes).items():
        choices += [[list_name, code, label] for code, label in answers.items()]
    settings = form.settings()
    return {"survey": survey, "choices": choices,
            "settings": [list(settings), list(settings.values())]}


def build(destination: Path, communes=None) -> Path:
    """Write the form to `destination` (its folder is created)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    destination.write_bytes(workbook(communes))
    return destination


def workbook(communes=None) -> bytes:
    """The form as XLSX bytes."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets(communes).items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([cell or None for cell in row])
    book.properties.creator = "Palabre"
    book.properties.created = book.properties.modified = BUILT
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
