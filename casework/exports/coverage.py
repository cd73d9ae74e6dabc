"""What an exported file covers, written in it so that a file read later says it: the communes,
the period, each filter, the day it was made, and each sheet with its full title (a sheet's
name holds at most 31 characters)."""
from __future__ import annotations

from flask_babel import gettext as _

from ..clock import local_today
from ..queries.filters import CaseFilters
from ..queries.worklist import SOURCES
from ..vocabulary import CONFLICT_TYPES, label
from ..workflow_registry import state_labels
from .files import Table, sheet_names


def sheets_listed(tables: list[Table]) -> list[list]:
    """A row per sheet: its name, beside its full title."""
    return [[_("Sheet « %(name)s »", name=name), table.title]
            for name, table in zip(sheet_names(tables), tables, strict=True)]


def coverage_table(communes: list, filters: CaseFilters, tables: list[Table],
                   *more: list) -> Table:
    """The last table of an export of `tables`: what they cover. `more`: rows of its own."""
    waiting = SOURCES[filters.waiting] if filters.waiting else None
    rows = [
        [_("Communes"), ", ".join(c.name for c in communes)],
        [_("Number of communes"), len(communes)],
        [_("Period from"), filters.date_from],
        [_("Period to"), filters.date_to],
        [_("State"), state_labels().get(filters.status, filters.status) if filters.status
         else _("All states")],
        [_("Type of conflict"), label(CONFLICT_TYPES, filters.conflict_type)
         if filters.conflict_type else _("All types")],
        *([[_("Words searched"), filters.q]] if filters.q else []),
        *([[_("Waiting for"), str(waiting.title)]] if waiting else []),
        *more,
        [_("Made on"), local_today()],
    ]
    coverage = Table(_("Coverage"), [_("Criterion"), _("Value")], rows)
    coverage.rows += sheets_listed([*tables, coverage])
    return coverage
