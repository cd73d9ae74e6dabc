"""The HTTP bench's figures (bench/load.py): percentiles, rates, shares of the floor, the
deadline. Only the arithmetic runs here: the bench itself never runs in `make test`."""
from __future__ import annotations

import pytest

from bench.load import Deadline, Tally, percentile, share, with_share

pytestmark = pytest.mark.no_db


def test_percentile_is_a_value_that_was_measured():
    values = [float(v) for v in range(100, 0, -1)]  # 1..100, unordered
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile([7.0], 0.99) == 7
    # Of ten values, p99 is the slowest: one slow request in ten shows.
    assert percentile([1.0] * 9 + [30.0], 0.99) == 30


@pytest.mark.parametrize("values, fraction", [([], 0.5), ([1.0], 0), ([1.0], 1.5)])
def test_percentile_refuses_what_has_no_answer(values, fraction):
    with pytest.raises(ValueError):
        percentile(values, fraction)


def test_share_of_the_floor():
    assert share(50, 1000) == 0.05
    assert share(10, 0) is None  # a floor that answered nothing gives no share
    figures = {"req_per_s": 131.0}
    assert with_share(figures, 1100)["share_of_floor_pct"] == 11.9
    assert with_share(figures, 0)["share_of_floor_pct"] is None


def test_tally_figures_and_merge():
    first, second = Tally(), Tally()
    for _ in range(3):
        first.add(0.010, True)
    second.add(0.030, False, "GET /x: 500")
    second.add(0.030, False, "GET /x: 500")
    second.add(0.020, False, "GET /y: 0")
    total = Tally(elapsed=2.0)
    total.merge(first)
    total.merge(second)
    figures = total.figures()
    assert figures["requests"] == 6 and figures["errors"] == 3
    assert figures["req_per_s"] == 3.0
    assert figures["p50_ms"] == 10.0 and figures["p99_ms"] == 30.0
    assert total.failures == ["GET /x: 500", "GET /y: 0"]  # each failure once


def test_an_empty_run_has_no_percentile():
    figures = Tally(elapsed=1.0).figures()
    assert figures["requests"] == 0 and figures["p50_ms"] is None


def test_deadline_and_a_run_within_it():
    now = [100.0]
    deadline = Deadline(60, clock=lambda: now[0])
    run = deadline.within(5)
    assert run.left() == 5 and not run.passed()
    now[0] = 105.0
    assert run.passed() and not deadline.passed()
    now[0] = 158.0
    # Two seconds left: a five-second run ends with the whole.
    assert deadline.within(5).left() == 2
    now[0] = 161.0
    assert deadline.passed() and deadline.left() == 0 and deadline.within(5).passed()
