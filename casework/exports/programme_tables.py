"""The programme report as tables, one per indicator (one sheet each in the XLSX), after a
first table that says what the file covers: the programme, the communes, the period, the
partner, and the note on the suppressed cells. Numbers stay numbers; a suppressed cell is the
text "< 3" and a partial total "≥ N"."""
from __future__ import annotations

from flask_babel import get_locale
from flask_babel import gettext as _

from ..clock import local_today
from ..queries.programme_report import SUPPRESSION_NOTE, ProgrammeReport, Section
from .coverage import sheets_listed
from .files import Table, whole_words


def sheet_name(code: str, label: str) -> str:
    """The indicator's code and as many whole words of its label as fit in a sheet name."""
    return whole_words(f"{code} {label}")


def language() -> str:
    return str(get_locale() or "fr")[:2]


def coverage_table(report: ProgrammeReport) -> Table:
    lang = language()
    return Table(_("Coverage"), [_("Criterion"), _("Value")], [
        [_("Programme"), report.logframe.text("name", lang)],
        [_("Donor"), report.logframe.text("donor", lang)],
        [_("Communes"), ", ".join(c.name for c in report.communes)],
        [_("Number of communes"), len(report.communes)],
        [_("Period from"), report.date_from],
        [_("Period to"), report.date_to],
        [_("Partner"), report.partner.code if report.partner else _("All partners")],
        [_("Made on"), local_today()],
        [_("Small cells"), str(SUPPRESSION_NOTE)],
    ])


def section_table(s: Section) -> Table:
    lang = language()
    indicator = s.indicator
    headers = [_("Commune"), *(label for _key, label in s.columns), _("Value"), _("Target"),
               _("Share of the target (%)")]

    def line(row):
        return [row.name, *(c.sheet_value for c in row.cells), row.value.sheet_value,
                row.target, row.target_share]

    rows = [line(row) for row in s.rows]
    rows.append(line(s.total))
    rows += [[], [_("Indicator"), f"{indicator.code} {indicator.text('label', lang)}"],
             [_("Definition"), indicator.text("definition", lang)],
             [_("Counted"), s.counted],
             [_("Baseline"), indicator.baseline]]
    if indicator.target:
        rows.append([_("Target set for"), indicator.target.per])
    if s.suppressed:
        rows.append([_("Small cells"), str(SUPPRESSION_NOTE)])
    return Table(f'{indicator.code} {indicator.text("label", lang)}', headers, rows)


def programme_tables(report: ProgrammeReport) -> list[Table]:
    sections = [section_table(s) for s in report.sections]
    coverage = coverage_table(report)
    coverage.rows += sheets_listed([coverage, *sections])
    return [coverage, *sections]

