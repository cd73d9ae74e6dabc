"""'Mon travail' lists the most urgent items of a source first, whatever way its query reads
them: a source that reads the first cases state by state (`first`, for the thousands of cases
past their time limit of a coordinator) lists what ordering all of them lists."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from casework.clock import clock_at, utcnow
from casework.extensions import db
from casework.models import Case
from casework.queries.worklist import SOURCES, items_of

# (state, days ago): past the time limit of their state, in several states, oldest not first.
LATE = [("in_mediation", 70), ("reported", 20), ("in_mediation", 95), ("reported", 40),
        ("reported", 15), ("in_mediation", 66), ("proposed", 45)]


def _all_ordered(user, limit) -> list[str]:
    """The source's cases, every one of them ordered (its `cases` clause, its order)."""
    clause = SOURCES["past_time_limit"].cases(user)
    return list(db.session.scalars(select(Case.reference).where(clause)
                                   .order_by(Case.status_changed_at, Case.id).limit(limit)))


@pytest.mark.parametrize("role", ["coordinator", "mediator"])
def test_the_cases_past_their_limit_are_listed_oldest_first_as_ordering_them_all(
        people, make_case, role):
    for state, days in LATE:
        with clock_at(utcnow() - timedelta(days=days)):
            make_case(state)
    user = getattr(people, role)
    everything = _all_ordered(user, 100)
    assert len(everything) >= 4, "cases past their limit in several states"
    for limit in (1, 2, 3, len(everything), len(everything) + 5):
        listed = [item.title for item in items_of("past_time_limit", user, limit)]
        assert listed == _all_ordered(user, limit), (role, limit)
