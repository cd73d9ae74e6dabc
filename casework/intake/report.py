"""An import's report as lines of text, the same on the command line and on the upload page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from .kobo import ImportReport


def summary(report: ImportReport) -> str:
    parts = [ngettext("%(num)d case created", "%(num)d cases created", len(report.created)),
             ngettext("%(num)d already imported", "%(num)d already imported",
                      len(report.already)),
             ngettext("%(num)d row rejected", "%(num)d rows rejected", len(report.rejected))]
    return ", ".join(parts) + "."


def lines(report: ImportReport) -> list[str]:
    out = []
    if report.dry_run:
        out.append(str(_l("Trial run: nothing was saved.")))
    out.append(str(_l("Report: %(summary)s", summary=summary(report))))
    out += [str(_l("Row %(row)d: created %(reference)s", row=row, reference=reference))
            if reference else str(_l("Row %(row)d: can be imported", row=row))
            for row, reference in report.created]
    out += [str(_l("Row %(row)d: already imported as %(reference)s", row=row,
                   reference=reference)) for row, reference in report.already]
    out += [str(_l("Row %(row)d rejected: %(reason)s", row=r.row, reason=r.reason))
            for r in report.rejected]
    return out
