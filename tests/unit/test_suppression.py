"""Sums of cells with suppressed ones (1 or 2 people, shown "< 3"): exact only where no
suppressed cell can be found again from the sum."""
from __future__ import annotations

import pytest

from casework.queries.programme_report import Cell, _cell, _sum, complement

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


def grid_of(*rows, people=None):
    """A hand-built table: each commune's counts, every column counting people by default."""
    people = people or [True] * len(rows[0])
    cells = [[_cell(v, counted) for v, counted in zip(row, people, strict=True)] for row in rows]
    return [[c.text for c in row] for row in complement(cells, people)], complement(cells, people)


def test_a_lone_suppressed_cell_takes_the_next_smallest_of_its_row_with_it():
    """Women 2, men 10, young men 7: with the commune's 19 participants read elsewhere, 19 -
    10 - 7 would give the 2 away; masking the 7 too leaves 2 unknowns for one sum."""
    texts, cells = grid_of([2, 10, 7])
    assert texts == [["< 3", "10", "x"]]
    assert _sum(cells[0]).text == "≥ 11"  # the row's total stays a least, not the sum


def test_rows_and_columns_are_masked_until_no_suppressed_cell_is_alone():
    texts, _ = grid_of([2, 10, 7],
                       [5, 6, 30],
                       [9, 8, 40])
    assert texts == [["< 3", "10", "x"],
                     ["x", "6", "x"],
                     ["9", "8", "40"]]
    for line in (*texts, *zip(*texts, strict=True)):  # no row, no column holds one alone
        assert sum(t in ("< 3", "x") for t in line) != 1


def test_two_suppressed_cells_of_a_row_need_no_third():
    texts, _ = grid_of([1, 2, 10])
    assert texts == [["< 3", "< 3", "10"]]


def test_a_column_that_counts_no_people_is_never_masked():
    texts, _ = grid_of([4, 2, 10], people=[False, True, True])
    assert texts == [["4", "< 3", "x"]]


def test_a_line_with_nothing_left_to_mask_stays_as_it_is():
    texts, cells = grid_of([2])
    assert texts == [["< 3"]] and _sum(cells[0]).text == "≥ 1"
