"""Chart geometry: bars proportional to their values, months without a case still drawn."""
from datetime import date

from casework.charts import WIDTH, bars, stacked_columns
from casework.queries.figures import month_keys
from casework.queries.filters import CaseFilters


def test_bars_are_proportional_and_skip_zeros():
    chart = bars([("Foncier", 10, "a"), ("Familial", 5, "a"), ("Autre", 0, "a")],
                 description="Types")
    assert [r.title for r in chart.rects] == ["Foncier: 10", "Familial: 5"]
    assert chart.rects[0].width == 2 * chart.rects[1].width
    assert max(r.width for r in chart.rects) <= WIDTH


def test_columns_stack_in_series_order_and_share_one_scale():
    chart = stacked_columns([("01/26", {"a": 2, "b": 2}), ("02/26", {"a": 1})],
                            [("a", "A", "s-a"), ("b", "B", "s-b")], description="x", height=100)
    first_a, first_b, second_a = chart.rects
    assert (first_a.height, first_b.height, second_a.height) == (50, 50, 25)
    assert first_b.y + first_b.height == first_a.y  # b sits on a
    assert first_a.y + first_a.height == 100


def test_no_data_draws_nothing():
    assert bars([], description="x").empty and stacked_columns([], [], description="x").empty


def test_the_months_counted_are_the_last_twelve_of_the_period():
    keys = month_keys(CaseFilters(date_to=date(2026, 2, 10)))
    assert len(keys) == 12 and (keys[0], keys[-1]) == ("2025-03", "2026-02")
    assert month_keys(CaseFilters(date_from=date(2025, 12, 15), date_to=date(2026, 2, 1))) == [
        "2025-12", "2026-01", "2026-02"]
