"""The offline form: the committed workbook is the one the definition builds, and it is a valid
XLSForm (structurally, and as pyxform, the converter of KoboToolbox and ODK Central, reads it)."""
from __future__ import annotations

from collections import Counter

import pytest
from openpyxl import load_workbook
from pyxform import xls2xform

from casework.intake import form_definition as form
from casework.intake import xlsform
from casework.vocabulary import SEXES
from config import BASE_DIR

COMMITTED = BASE_DIR / form.OUTPUT


def cells(path) -> dict[str, list[list]]:
    workbook = load_workbook(path)
    return {sheet.title: [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
            for sheet in workbook.worksheets}


def test_the_committed_form_is_the_one_the_definition_builds(app, tmp_path):
    built = xlsform.build(tmp_path / "form.xlsx")
    assert cells(COMMITTED) == cells(built), (
        "forms/signalement_conflit.xlsx differs from casework/intake/form_definition.py: run "
        "`flask --app wsgi build-kobo-form` and commit the file")


def test_the_build_command_writes_the_form(app, tmp_path):
    output = tmp_path / "out" / "form.xlsx"
    result = app.test_cli_runner().invoke(args=["build-kobo-form", "--output", str(output)])
    assert result.exit_code == 0, result.output
    assert cells(output) == cells(COMMITTED)


def rows_as_dicts(sheet_rows):
    heading, *rows = sheet_rows
    return [dict(zip(heading, row, strict=False)) for row in rows]


@pytest.mark.parametrize("communes", [None, [("BGN", "Bougouni"), ("DIO", "Dioïla")]],
                         ids=["code typed", "list of communes"])
def test_the_form_is_a_valid_xlsform(app, tmp_path, communes):
    sheets = cells(xlsform.build(tmp_path / "form.xlsx", communes))
    assert list(sheets) == ["survey", "choices", "settings"]
    survey = rows_as_dicts(sheets["survey"])
    choices = rows_as_dicts(sheets["choices"])
    settings = rows_as_dicts(sheets["settings"])[0]
    label = f"label::{form.LANGUAGE}"
    assert {"type", "name", label} <= set(sheets["survey"][0])
    assert {"list_name", "name", label} <= set(sheets["choices"][0])
    assert settings["default_language"] == "French (fr)"
    assert settings["form_id"] == form.FORM_ID and settings["version"] == form.FORM_VERSION
    lists = {c["list_name"] for c in choices}
    open_groups, paths = [], []
    for row in survey:
        kind = row["type"]
        if kind.startswith(("select_one ", "select_multiple ")):
            assert kind.split()[1] in lists, f"{row['name']}: no list {kind.split()[1]}"
        if kind == "begin_group":
            open_groups.append(row["name"])
        elif kind == "end_group":
            assert open_groups.pop() == row["name"]
        else:
            assert row[label], f"{row['name']} has no French label"
            paths.append("/".join([*open_groups, row["name"]]))
    assert open_groups == []
    assert [p for p, n in Counter(paths).items() if n > 1] == []
    for list_name in lists:
        names = [c["name"] for c in choices if c["list_name"] == list_name]
        assert len(names) == len(set(names)) and all(c[label] for c in choices)
    assert ("signalement/commune" in paths and "parties/partie_1/nom" in paths
            and "declarant/nom" in paths)
    commune = next(r for r in survey if r["name"] == "commune")
    assert commune["type"] == ("select_one commune" if communes else "text")


@pytest.mark.parametrize("communes", [None, [("BGN", "Bougouni")]])
def test_pyxform_converts_the_form_without_a_warning(app, tmp_path, communes):
    warnings: list[str] = []
    result = xls2xform.convert(str(xlsform.build(tmp_path / "form.xlsx", communes)),
                               warnings=warnings)
    assert warnings == []
    xml = result.xform
    assert "<h:title>Signalement de conflit (Palabre)</h:title>" in xml
    assert 'orx:version="2026112901"' in xml or form.FORM_VERSION in xml
    assert "Violence basée sur le genre" in xml  # the vocabulary's French labels


def test_the_lists_are_the_vocabulary_in_french(app):
    lists = form.choice_lists()
    assert lists["type_conflit"]["farmer_herder"] == "Agriculteurs-éleveurs"
    assert set(lists["sexe"]) == set(SEXES) and lists["sexe"]["F"] == "Femme"
