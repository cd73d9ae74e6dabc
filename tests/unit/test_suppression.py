"""Sums of cells with suppressed ones (1 or 2 people, shown "< 3"): exact only where no
suppressed cell can be found again from the sum."""
from __future__ import annotations

import pytest

from casework.queries.programme_report import Cell, _cell, _sum

pytestmark = pytest.mark.no_db


@pytest.mark.parametrize("values, text", [
    ([5, 7], "12"),  # nothing hidden
    ([5, 1], "≥ 6"),  # one hidden: the total less 5 would give it away
    ([5, 1, 1], "≥ 7"),  # two hidden summing to 2: both are 1
    ([5, 2, 2], "≥ 7"),  # two hidden summing to 4: both are 2
    ([5, 1, 2], "8"),  # 1 + 2 or 2 + 1: neither is found again
    ([1, 1, 2, 0], "4"),
    ([0, 0], "0"),
])
def test_a_sum_is_exact_only_when_no_hidden_cell_can_be_found_again(values, text):
    assert _sum([_cell(v, True) for v in values]).text == text


def test_a_sum_of_a_partial_one_is_partial():
    assert _sum([Cell(6, at_least=True), Cell(4)]).text == "≥ 10"


def test_small_cells_hide_only_where_people_are_counted():
    assert _cell(2, True).text == "< 3" and _cell(2, False).text == "2"
    assert _cell(0, True).text == "0" and _cell(3, True).text == "3"
