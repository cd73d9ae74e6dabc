"""Every figure of the programme report against a hand count (programme.py for the cases,
programme_activities.py for the mechanisms), over March-April 2026: a period that cuts case a1
in the middle (reported in January, visited in March, closed in May), with a commune, C, where
nothing happened."""
from datetime import date

import pytest

from casework.clock import clock_at
from casework.queries import figures, programme
from casework.queries.programme import Scope
from tests.factories import new_commune, new_user
from tests.kept import build_on, reloaded

from .programme import NOW
from .programme_activities import build_world

MARCH, APRIL_END = date(2026, 3, 1), date(2026, 4, 30)


@pytest.fixture(autouse=True)
def _at_the_programmes_now():
    with clock_at(NOW):
        yield


def _world(town) -> dict:
    people, elsewhere = town.people, town.elsewhere
    with clock_at(NOW):
        cases, rows, quiet = build_world(people, elsewhere, new_user, new_commune)
    return {"a": people.commune.id, "b": elsewhere.commune.id, "c": quiet.id, **rows,
            **cases}


@pytest.fixture(scope="module")
def kept_world(app, module_connection, kept_town):
    """The programme, built once for the module's tests (tests/kept.py)."""
    return build_on(app, module_connection, lambda: _world(reloaded(kept_town)))


@pytest.fixture
def world(kept_world):
    return reloaded(kept_world)


def scope(world, partner=None, **dates):
    dates = dates or {"date_from": MARCH, "date_to": APRIL_END}
    return Scope(frozenset({world["a"], world["b"], world["c"]}), partner_id=partner, **dates)


def rows(world, name, **kwargs):
    """The figure's rows by commune letter, the communes with nothing left out."""
    counts = programme.FIGURES[name](scope(world, **kwargs))
    letters = {world[x]: x for x in "abc"}
    return {letters[c]: {k: v for k, v in row.items() if v} for c, row in counts.rows.items()
            if any(row.values())}


REACHED_T1 = dict(young_women=4, women=6, young_men=3, men=5, elder_men=1)

EXPECTED = {
    "cases_reported": {"a": {"cases": 3}},  # a2, a3, a5; a1 and b1 earlier, a4 and b2 later
    "cases_taken_on": {"a": {"cases": 2}},  # a2, a5
    "agreements_signed": {"a": {"cases": 1}, "b": {"cases": 1}},  # a5 06/04, b1 01/03
    # a1 (closed in May), a2, a3 (referred in March, followed in gbv_referral), a5; b1; b2
    # reported in May
    "open_at_end": {"a": {"cases": 4}, "b": {"cases": 1}},
    "follow_ups": {"a": {"checked": 1}},  # a1 visited 03/03; a5's broken visit is in May
    "conflicts_by_type": {"a": {"farmer_herder": 1, "gbv": 1, "family": 1}},
    "parties_by_sex_age": {"a": {"M_adult": 3, "F_youth": 3}},
    "mediation_participants": {"a": {"women": 6, "men": 10, "young_women": 2, "young_men": 4}},
    "cases_by_partner": {"a": {"none": 2}},  # + a2 for AMSS, checked below by its id
    "communes_with_mechanism": {"a": {"mechanism": 1}},  # B's is set up in May
    "mechanism_members": {"a": {"F_youth": 1, "M_adult": 1}},
    "ffom_analyses": {"a": {"sessions": 1, "women": 3, "men": 8},
                      "b": {"sessions": 1, "women": 5, "men": 5}},
    "trainings": {"a": {"sessions": 1, **REACHED_T1},
                  "b": {"sessions": 1, "women": 1, "men": 7}},
    "awareness_sessions": {"a": {"sessions": 1, "young_women": 12, "women": 20,
                                 "young_men": 6, "men": 5, "elder_men": 2}},
    "advocacy": {"a": {"sessions": 2, "yes": 1, "unknown": 1}},
    "women_groups_support": {"a": {"sessions": 2, "young_women": 12, "women": 30,
                                   "elder_women": 2, "young_men": 6, "men": 5, "elder_men": 2}},
    "authorities_present": {"a": {"F": 1, "M": 2, "mayor": 1, "village_chief": 1,
                                  "councillor": 1}},
    "people_reached": {"a": {"sessions": 4, "young_women": 16, "women": 36, "elder_women": 2,
                             "young_men": 9, "men": 13, "elder_men": 3},
                       "b": {"sessions": 1, "women": 1, "men": 7}},
    # Formation done (120 000 spent), Plaidoyer planned; the cancelled one left out
    "plans_and_budgets": {"a": {"planned": 2, "done": 1, "budget_planned": 200_000,
                                "budget_spent": 120_000}},
    "appreciations": {"a": {"appreciations": 2, "rating": 3.0}},  # t2's is in February
    # No referral in this world: counted by hand in test_referral_figures.py.
    "referrals_by_answer": {}, "people_referred": {},
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_figure_equals_the_hand_count(world, name):
    found = rows(world, name)
    if name == "cases_by_partner":
        assert found == {"a": {"none": 2, str(world["amss"].id): 1}}
    else:
        assert found == EXPECTED[name]
    assert "c" not in found  # the commune where nothing happened


def test_every_figure_is_counted_by_hand():
    assert set(EXPECTED) | {"activities_by_partner"} == set(programme.FIGURES)


def test_activities_per_partner(world):
    amss, arga = str(world["amss"].id), str(world["arga"].id)
    assert rows(world, "activities_by_partner") == {"a": {amss: 1, arga: 2, "none": 1},
                                                    "b": {arga: 1}}


def test_a_partner_narrows_the_cases_and_the_activities(world):
    amss = world["amss"].id
    assert rows(world, "cases_reported", partner=amss) == {"a": {"cases": 1}}  # a2
    assert rows(world, "people_reached", partner=amss) == {"a": {"sessions": 1, **REACHED_T1}}
    assert rows(world, "trainings", partner=amss) == {"a": {"sessions": 1, **REACHED_T1}}
    assert rows(world, "advocacy", partner=amss) == {}
    # What no partner is credited with is not narrowed by one.
    assert rows(world, "ffom_analyses", partner=amss) == EXPECTED["ffom_analyses"]


def test_without_a_period_everything_counts(world):
    found = rows(world, "trainings", date_from=None, date_to=None)
    assert found["a"]["sessions"] == 2 and found["a"]["women"] == 11  # t1 and t2
    assert rows(world, "communes_with_mechanism", date_from=None, date_to=None) == {
        "a": {"mechanism": 1}, "b": {"mechanism": 1}}
    assert rows(world, "cases_reported", date_from=None, date_to=None) == {
        "a": {"cases": 5}, "b": {"cases": 2}}


def test_a_period_cuts_case_a1_in_the_middle(world):
    """a1: reported 10/01, resolved 01/02, visited 03/03 and 02/05, closed 15/05."""
    january = {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)}
    may = {"date_from": date(2026, 5, 1), "date_to": date(2026, 5, 31)}
    assert rows(world, "cases_reported", **january)["a"] == {"cases": 1}
    assert rows(world, "cases_taken_on", **january)["a"] == {"cases": 1}
    assert rows(world, "open_at_end", **january)["a"] == {"cases": 1}
    # In May: a1 closed (no longer open), a4 still to come; a2, a3, a5 open; b1 open, b2
    # ended.
    assert rows(world, "open_at_end", **may) == {"a": {"cases": 3}, "b": {"cases": 1}}
    assert rows(world, "follow_ups", **may) == {"a": {"checked": 2, "broken": 1}}


def test_each_figure_says_which_cases_or_activities_it_counts():
    assert set(programme.COUNTED) == set(programme.FIGURES)
    assert set(programme.COUNTED.values()) <= set(figures.COUNTS)
