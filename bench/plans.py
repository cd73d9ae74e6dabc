"""Case plans: what each case becomes, drawn for all cases before any is played.

A plan is a commune, the state the case ends in, a conflict type and a report date; the plans
are then numbered in report order (ids, references). A few are marked as the special cases the
benchmark acts on (THIRTY_STEPS_CASE, TEAM_CASE, SEARCH_CASE).
"""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from bench.corpus import CONFLICT_MIX, STATE_MIX
from bench.draws import weighted
from bench.people import Staff
from casework.vocabulary import GBV

WINDOW_DAYS = 725  # cases are reported over the last two years
BUSY_COMMUNE_CASES = 150
SEARCH_PARTY_CASES = 6

THIRTY_STEPS_CASE = "thirty_steps"  # in mediation, 30 steps, nothing pending: its team proposes
TEAM_CASE = "reported_with_team"  # reported, team assigned: its mediator starts the mediation
SEARCH_CASE = "search_party"  # SEARCH_PARTY is one of its parties


@dataclass
class CasePlan:
    """What a case becomes; drawn for every case first, so that ids follow the report dates."""

    staff: Staff
    state: str
    conflict_type: str
    created_at: datetime
    special: str = ""
    id: int = 0
    sequence: int = 0
    reference: str = ""


# How far along the workflow each state lies: the older a case, the further it went (give or
# take). A side exit can come at any age.
PROGRESS = {"reported": 0, "in_mediation": 1, "resolved": 2, "followed_up": 3, "closed": 4}
# The least age (days) of a case in each state: enough for the visits its route needs.
MIN_AGE = {"reported": 0.01, "in_mediation": 1, "resolved": 15, "followed_up": 120,
           "closed": 140, "referred": 0.5, "not_admissible": 0.5}


def plan_cases(rng: random.Random, staffs: list[Staff], count: int,
               now: datetime) -> list[CasePlan]:
    """Communes, report dates and states: the states, drawn from STATE_MIX, go to the cases in
    order of age, with some noise (see PROGRESS), so that young cases are the open ones."""
    # Most communes get about the average, a few three times as much.
    weights = [rng.lognormvariate(0, 0.22) * (3 if rng.random() < 0.04 else 1) for _ in staffs]
    communes = rng.choices(staffs, weights, k=count)
    ages = sorted(draw_age(rng) for _ in range(count))
    states = sorted((progress_key(rng, state), state) for state in
                    rng.choices(tuple(STATE_MIX), tuple(STATE_MIX.values()), k=count))
    plans = [CasePlan(staff, state, draw_conflict(rng, state),
                      now - timedelta(days=max(age, MIN_AGE[state])))
             for staff, age, (_key, state) in zip(communes, ages, states, strict=True)]
    mark_specials(rng, plans, now)
    plans.sort(key=lambda plan: plan.created_at)
    number(plans)
    return plans


def draw_age(rng: random.Random) -> float:
    """Days since a report: the programme grew, the last months had three times the reports of
    the first ones."""
    if rng.random() < 0.5:
        return rng.uniform(0, WINDOW_DAYS)
    return rng.triangular(0, WINDOW_DAYS, 0)


def progress_key(rng: random.Random, state: str) -> float:
    if state in PROGRESS:
        return PROGRESS[state] + rng.gauss(0, 0.5)
    return rng.uniform(0, max(PROGRESS.values()) + 0.5)


def draw_conflict(rng: random.Random, state: str) -> str:
    """A case of gender-based violence is never mediated: it is only reported, then referred."""
    while True:
        conflict_type = weighted(rng, CONFLICT_MIX)
        if conflict_type != GBV or state in ("reported", "referred"):
            return conflict_type


def mark_specials(rng: random.Random, plans: list[CasePlan], now: datetime) -> None:
    """The cases the benchmark acts on: two in the commune with about 150 cases, and a few cases
    in different communes with SEARCH_PARTY among their parties."""
    busy = busy_commune(plans)
    thirty, with_team = [plan for plan in plans if plan.staff is busy][:2]
    for plan, special, state, age in ((thirty, THIRTY_STEPS_CASE, "in_mediation", 150),
                                      (with_team, TEAM_CASE, "reported", 6)):
        plan.special, plan.state = special, state
        plan.created_at = now - timedelta(days=age)
        if plan.conflict_type == GBV:
            plan.conflict_type = "land"
    communes = set()
    for index in rng.sample(range(len(plans)), len(plans)):
        plan = plans[index]
        if not plan.special and plan.conflict_type != GBV \
                and plan.staff.commune_id not in communes:
            plan.special = SEARCH_CASE
            communes.add(plan.staff.commune_id)
            if len(communes) == SEARCH_PARTY_CASES:
                return


def busy_commune(plans: list[CasePlan]) -> Staff:
    counts = Counter(plan.staff.commune_id for plan in plans)
    staffs = {plan.staff.commune_id: plan.staff for plan in plans}
    eligible = [commune_id for commune_id, count in counts.items() if count >= 2]
    if not eligible:
        raise ValueError("too few cases: one commune needs at least two")
    return staffs[min(eligible, key=lambda c: (abs(counts[c] - BUSY_COMMUNE_CASES), c))]


def number(plans: list[CasePlan]) -> None:
    """Ids in report order; references numbered per commune and year, as report_case does."""
    sequences = Counter()
    for case_id, plan in enumerate(plans, start=1):
        year = plan.created_at.year
        sequences[plan.staff.commune_id, year] += 1
        plan.id, plan.sequence = case_id, sequences[plan.staff.commune_id, year]
        plan.reference = f"{plan.staff.code}-{year}-{plan.sequence:04d}"
