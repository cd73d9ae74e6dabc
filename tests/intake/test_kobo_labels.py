"""KoboToolbox's default export, "labels": the headings are the questions' French labels (with
the groups' labels, or alone), the answers the choices' labels; an export without groups in
its headings; communes given by name. The files are built here from the form itself."""
from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from casework.errors import InvalidInput
from casework.extensions import db
from casework.intake import files, form_definition, kobo
from casework.models import Case

from .samples import as_csv, submission


def _form_questions():
    """path -> (group labels, question label, list name or None), in the form's order."""
    found, groups = {}, []
    for question in form_definition.survey():
        if question.type == "begin_group":
            groups.append((question.name, question.label))
        elif question.type == "end_group":
            groups.pop()
        else:
            path = "/".join([*(name for name, _ in groups), question.name])
            choices = question.type.split(" ", 1)[1] if question.type.startswith("select_one") \
                else None
            found[path] = ([label for _, label in groups], question.label, choices)
    return found


def labelled(row: dict, *, groups: bool, commune_label: str | None = None) -> list[tuple]:
    """A row as KoboToolbox's "labels" export writes it: (heading, value) in the form's order,
    choices as their labels; the export's own columns (_uuid...) keep their names."""
    questions, lists = _form_questions(), form_definition.choice_lists()
    cells = []
    for key, value in row.items():
        if key not in questions:
            cells.append((key, value))
            continue
        group_labels, label, choices = questions[key]
        heading = "/".join([*group_labels, label]) if groups else label
        if choices in lists and value in lists[choices]:
            value = lists[choices][value]
        if key == "signalement/commune" and commune_label:
            value = commune_label
        cells.append((heading, value))
    return cells


def as_labelled_csv(rows: list[list[tuple]]) -> bytes:
    """Headings may repeat (the parties' questions, without groups): written as a list."""
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow([heading for heading, _ in rows[0]])
    for cells in rows:
        writer.writerow([value for _, value in cells])
    return out.getvalue().encode("utf-8")


def as_labelled_xlsx(rows: list[list[tuple]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([heading for heading, _ in rows[0]])
    for cells in rows:
        sheet.append([value for _, value in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture
def kolondieba(make_people):
    """Kolondiéba (KLD) and its people; the coordinator covers it."""
    return make_people(name="Kolondiéba", code="KLD")


def run(actor, data: bytes, name="export.csv"):
    return kobo.import_submissions(actor, files.read_submissions(data, name))


def _case(report, index=0) -> Case:
    return db.session.scalar(select(Case).where(Case.reference == report.created[index][1]))


def _check_imported(case, commune):
    assert case.commune_id == commune.id and case.village == "Sɛnou"
    assert (case.conflict_type, case.urgency, case.violence, case.injuries) == (
        "farmer_herder", "high", True, 2)
    assert case.reporter_name == "Fatoumata Dɔnbɛlɛ"
    assert [(p.name, p.kind, p.sex, p.age_group, p.people_count) for p in case.parties] == [
        ("Famille Ŋɔnɔ", "family", "M", "adult", 7),
        ("Hamadoun N'Diaye", "person", "M", "youth", 1)]


@pytest.mark.parametrize("writer", [as_labelled_csv, as_labelled_xlsx])
@pytest.mark.parametrize("groups", [True, False])
def test_a_labels_export_with_or_without_groups_is_imported(kolondieba, writer, groups):
    row = labelled(submission("KLD", f"lab-{groups}-{writer.__name__}"), groups=groups,
                   commune_label="Kolondiéba (KLD)")
    headings = [heading for heading, _ in row]
    assert ("Le conflit/Village ou quartier" in headings) == groups
    assert ("Sexe" in headings) != groups  # without groups, the parties' headings repeat
    report = run(kolondieba.coordinator, writer([row]),
                 "export.xlsx" if writer is as_labelled_xlsx else "export.csv")
    assert len(report.created) == 1, [r.reason for r in report.rejected]
    _check_imported(_case(report), kolondieba.commune)


def test_xml_names_without_groups_are_told_apart_by_their_order(people):
    row = [(key.rsplit("/", 1)[-1] if not key.startswith("_") else key, value)
           for key, value in submission(people.commune.code, "no-groups-1").items()]
    assert [heading for heading, _ in row].count("nom") == 4  # the reporter and three parties
    report = run(people.coordinator, as_labelled_csv([row]))
    assert len(report.created) == 1, [r.reason for r in report.rejected]
    _check_imported(_case(report), people.commune)


@pytest.mark.parametrize("given", ["Kolondieba", "KOLONDIÉBA", "kld"])
def test_the_commune_column_takes_a_name_with_or_without_accents_or_a_code(
        kolondieba, make_commune, given):
    make_commune(name="Kadiolo", code="KDL")
    report = run(kolondieba.coordinator, as_csv([submission(given, f"by-name-{given}")]))
    assert len(report.created) == 1, [r.reason for r in report.rejected]
    assert _case(report).commune_id == kolondieba.commune.id


def test_an_unknown_commune_is_rejected_with_the_nearest_names(people, make_commune):
    make_commune(name="Kolondiéba", code="KLD")
    report = run(people.coordinator, as_csv([submission("Kolondiba", "near-1")]))
    assert not report.created
    assert report.rejected[0].reason == (
        "Code de la commune (signalement/commune) : Aucune commune n'a le code ou le nom "
        "Kolondiba. Vouliez-vous dire : Kolondiéba (KLD) ?")


def test_a_file_whose_headings_are_no_question_says_which_export_setting_to_choose(people):
    row = [("Village or quarter", "Kola"), ("Commune code", "BGN"), ("_uuid", "en-1")]
    with pytest.raises(InvalidInput) as refused:
        files.read_submissions(as_labelled_csv([row]), "export.csv")
    message = str(refused.value)
    assert "Valeurs et en-têtes XML" in message
    assert "Inclure les groupes dans les en-têtes" in message
