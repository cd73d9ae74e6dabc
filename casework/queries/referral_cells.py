"""The referral figures' counts of people in the figures-only form (a donor's): the parties
referred by sex and age group, each count under 3 suppressed and a lone one's neighbour
masked, as the programme report does (programme_report.complement)."""
from __future__ import annotations

from .programme_report import Cell, _cell, complement
from .referral_figures import PEOPLE_MEASURES, ReferralFigures


def people_cells(figures: ReferralFigures) -> dict[tuple[str, str], dict[str, Cell]]:
    cells = list(figures.people)
    grid = complement([[_cell(figures.people[c][m], True) for m in PEOPLE_MEASURES]
                       for c in cells], [True] * len(PEOPLE_MEASURES))
    return {c: dict(zip(PEOPLE_MEASURES, row, strict=True))
            for c, row in zip(cells, grid, strict=True)}
