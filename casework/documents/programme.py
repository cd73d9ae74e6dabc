"""The programme report as a PDF (A4, landscape so that a table of 7 communes and its columns
fits): the same tables as the page and the XLSX file, stripped of names like them."""
from __future__ import annotations

from flask_babel import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from ..i18n import short_date
from ..queries.programme_report import SUPPRESSION_NOTE, ProgrammeReport, Section
from .paper import FONT, FONTS

LINE = 5


class _Report(FPDF):
    def __init__(self, title: str):
        super().__init__(orientation="L", format="A4")
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self.set_margins(12, 12, 12)
        self.set_auto_page_break(True, margin=14)
        self.set_creator("Palabre")
        self.set_title(title)
        self.report_title = title

    def footer(self):
        self.set_y(-10)
        self.set_font(FONT, "", 7)
        self.cell(0, 4, _("%(title)s · page %(page)d of %(pages)s", title=self.report_title,
                          page=self.page_no(), pages="{nb}"), align="C")

    def text_line(self, text: str, size: float = 9, bold: bool = False) -> None:
        self.set_font(FONT, "B" if bold else "", size)
        self.multi_cell(0, LINE, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _section(pdf: _Report, s: Section, lang: str) -> None:
    indicator = s.indicator
    if pdf.will_page_break(40):
        pdf.add_page()
    pdf.ln(3)
    pdf.text_line(f"{indicator.code} · {indicator.text('label', lang)}", 11, bold=True)
    pdf.text_line(indicator.text("definition", lang), 8)
    baseline = _("Baseline: %(n)s", n=indicator.baseline)
    target = (_("Target per commune: %(n)s (%(per)s)", n=indicator.target.per_commune,
                per=indicator.target.per) if indicator.target else _("No target"))
    pdf.text_line(f"{_('Counts: %(what)s.', what=s.counted)} {baseline} · {target}", 8)
    headers = [_("Commune"), *(label for _key, label in s.columns), _("Value"), _("Target")]
    size = 7 if len(headers) <= 10 else 5.5
    pdf.set_font(FONT, "", size)
    first = 34
    rest = (pdf.epw - first) / (len(headers) - 1)
    with pdf.table(col_widths=(first, *([rest] * (len(headers) - 1))), text_align="LEFT",
                   line_height=size * 0.6, first_row_as_headings=True) as table:
        table.row(headers)
        for row in (*s.rows, s.total):
            table.row([row.name, *(c.text for c in row.cells), row.value.text,
                       "" if row.target is None else str(row.target)])


def programme_pdf(report: ProgrammeReport, lang: str) -> bytes:
    title = report.logframe.text("name", lang)
    pdf = _Report(title)
    pdf.set_lang(lang)
    pdf.add_page()
    pdf.text_line(title, 14, bold=True)
    pdf.text_line(_("Programme report for %(donor)s", donor=report.logframe.text("donor", lang)))
    period = _("Period: %(start)s to %(end)s", start=short_date(report.date_from) or "…",
               end=short_date(report.date_to) or "…")
    partner = report.partner.code if report.partner else _("All partners")
    pdf.text_line(f"{period} · {_('Partner')}: {partner}")
    pdf.text_line(f"{_('Communes')}: " + ", ".join(c.name for c in report.communes))
    pdf.text_line(str(SUPPRESSION_NOTE), 8)
    for s in report.sections:
        _section(pdf, s, lang)
    return bytes(pdf.output())
