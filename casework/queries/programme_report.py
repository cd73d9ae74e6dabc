"""The programme report: every indicator of the logframe, per commune and in total, against its
target and baseline, with the cells that count fewer than 3 people in a commune suppressed.

Nothing here names a person, a village or a fact: the figures are counts (programme.py), and
the report only adds the communes' names, the logframe's texts and the partners' codes.

Suppression (`SMALL`): in an indicator that counts people, a commune's cell of 1 or 2 shows as
"< 3"; a total or a value that adds up such a cell is exact only where no suppressed cell can be
found again from it by subtraction (`_sum`), else "≥ N", the least it can be.

Secondary suppression (`complement`): a total may also be read elsewhere (a commune's cases
reported are the sum of its conflicts by type; its participants, of the same people by sex), so
a row or a column of a table with exactly one suppressed cell has its next smallest cell masked
too ("x"), until no row or column holds a suppressed cell alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from ..access import communes_in
from ..extensions import db
from ..logframe import Indicator, Logframe
from ..models import Partner
from .figures import COUNTS
from .programme import COUNTED, FIGURES, Counts, Scope

SMALL = 3
# Columns of an indicator of people that count something else: the sessions held.
NOT_PEOPLE = frozenset({"sessions"})

SUPPRESSION_NOTE = _l("To protect the people counted, a commune's cell under 3 people shows "
                      "as « < 3 », and a total from which it could be found again shows as "
                      "« ≥ N », the least it can be. Where a row or a column holds only one "
                      "such cell, its next smallest cell is masked too (« x »), so that no "
                      "total shown elsewhere gives it away.")


@dataclass(frozen=True)
class Cell:
    value: float | int
    hidden: bool = False  # under SMALL people: shown as "< 3"
    at_least: bool = False  # a sum of which some parts are hidden: shown as "≥ value"
    masked: bool = False  # secondary suppression, whatever the value: shown as "x"

    @property
    def exact(self) -> bool:
        """Whether the cell shows its value as it is."""
        return not (self.hidden or self.at_least or self.masked)

    @property
    def text(self) -> str:
        if self.hidden:
            return "< 3"
        if self.masked:
            return "x"
        number = f"{self.value:,}".replace(",", "\u202f") if isinstance(self.value, int) \
            else str(self.value)
        return f"≥ {number}" if self.at_least else number

    @property
    def sheet_value(self):
        """A number as a number; a suppressed or partial cell as its text."""
        return self.value if self.exact else self.text


@dataclass
class Row:
    name: str
    code: str | None  # the commune's code; None for the total
    cells: list[Cell]
    value: Cell
    target: int | None

    @property
    def target_share(self) -> float | None:
        """The value as a share of the target (None without a target or a known value)."""
        if not self.target or not self.value.exact:
            return None
        return round(100 * self.value.value / self.target, 1)


@dataclass
class Section:
    indicator: Indicator
    columns: list[tuple[str, str]]
    rows: list[Row]
    total: Row

    @property
    def suppressed(self) -> bool:
        return any(c.hidden or c.masked for row in self.rows for c in (*row.cells, row.value))

    @property
    def counted(self) -> str:
        """Which cases or activities the figure counts, said in a sentence."""
        return str(COUNTS[COUNTED[self.indicator.figure]])

    @property
    def people_keys(self) -> set[str]:
        """The columns that count people (each commune's cell under 3 suppressed)."""
        if not self.indicator.people:
            return set()
        return {key for key, _label in self.columns if key not in NOT_PEOPLE}

    @property
    def people_value(self) -> bool:
        keys = set(self.indicator.value) or {key for key, _label in self.columns}
        return bool(keys & self.people_keys)


@dataclass
class ProgrammeReport:
    logframe: Logframe
    scope: Scope
    communes: list  # rows of access.communes_in
    partner: Partner | None
    sections: list[Section]

    @property
    def suppressed(self) -> bool:
        return any(section.suppressed for section in self.sections)

    @property
    def date_from(self) -> date | None:
        return self.scope.date_from

    @property
    def date_to(self) -> date | None:
        return self.scope.date_to


def _sum(cells: list[Cell]) -> Cell:
    """The sum of cells, exact unless it would give a hidden cell away.

    Hidden cells hold 1 or 2: n of them summing to S are each found again when S is n (all
    ones) or 2n (all twos), so the sum is exact only when there are none, or when n >= 2 and
    n < S < 2n. Otherwise it is partial, "≥ the least it can be" (each hidden cell counting 1),
    and so is any sum of a partial or a masked one (a masked cell counting 0).
    """
    hidden = [c.value for c in cells if c.hidden]
    partial = [c for c in cells if c.at_least]
    exact = sum(c.value for c in cells if c.exact)
    n, total = len(hidden), sum(hidden)
    if not partial and not any(c.masked for c in cells) and (
            n == 0 or (n >= 2 and n < total < 2 * n)):
        return Cell(exact + total)
    return Cell(exact + sum(c.value for c in partial) + n, at_least=True)


def _cell(value, people: bool) -> Cell:
    return Cell(value, hidden=people and 0 < value < SMALL)


def complement(grid: list[list[Cell]], people: list[bool]) -> list[list[Cell]]:
    """Secondary suppression over a table of cells (rows of columns; `people[j]`: whether
    column j counts people): in each row and each column, over the people columns, where
    exactly one cell is suppressed ("< 3" or masked), the smallest exact cell left is masked
    too, again until none is alone. A line with nothing else to mask is left as it is: its
    totals are then partial (`_sum`)."""
    grid = [list(row) for row in grid]
    columns = [j for j, counted in enumerate(people) if counted]
    lines = [[(i, j) for j in columns] for i in range(len(grid))]
    lines += [[(i, j) for i in range(len(grid))] for j in columns]
    changed = True
    while changed:
        changed = False
        for line in lines:
            cells = [(grid[i][j], i, j) for i, j in line]
            if sum(c.hidden or c.masked for c, _i, _j in cells) != 1:
                continue
            left = [(c.value, i, j) for c, i, j in cells if c.exact]
            if left:
                value, i, j = min(left)
                grid[i][j] = Cell(value, masked=True)
                changed = True
    return grid


def section(indicator: Indicator, counts: Counts, communes: list) -> Section:
    """One indicator's table: per commune, its columns, its value and its target; the total."""
    keys = [key for key, _ in counts.columns]
    value_keys = [k for k in (indicator.value or keys) if k in keys]
    target = indicator.target
    people_columns = [indicator.people and key not in NOT_PEOPLE for key in keys]
    grid = complement([[_cell(counts.cell(commune.id, key), counted)
                        for key, counted in zip(keys, people_columns, strict=True)]
                       for commune in communes], people_columns)
    rows = []
    for commune, cells in zip(communes, grid, strict=True):
        by_key = dict(zip(keys, cells, strict=True))
        parts = [by_key[k] for k in value_keys]
        value = _sum(parts)
        counts_people = indicator.people and not set(value_keys) <= NOT_PEOPLE
        if counts_people and value.exact:
            value = _cell(value.value, True)
        rows.append(Row(commune.name, commune.code, cells, value,
                        target.of(commune.code) if target else None))
    totals = []
    for index, key in enumerate(keys):
        column = [row.cells[index] for row in rows]
        if key == "rating":  # an average is not added up: the average of the communes' own
            shown = [c.value for c in column if c.value]
            totals.append(Cell(round(sum(shown) / len(shown), 1) if shown else 0))
        else:
            totals.append(_sum(column))
    total_value = _sum([row.value for row in rows])
    total = Row(str(_l("Total")), None, totals, total_value,
                sum(row.target for row in rows) if target else None)
    return Section(indicator, counts.columns, rows, total)


def partners() -> list[Partner]:
    return list(db.session.scalars(select(Partner).order_by(Partner.code)))


def build(logframe: Logframe, scope: Scope) -> ProgrammeReport:
    """Every indicator of `logframe` over `scope` (its communes already the user's)."""
    communes = communes_in(scope.commune_ids)
    partner = db.session.get(Partner, scope.partner_id) if scope.partner_id else None
    sections = [section(indicator, FIGURES[indicator.figure](scope), communes)
                for indicator in logframe.indicators]
    return ProgrammeReport(logframe, scope, communes, partner, sections)
