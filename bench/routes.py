"""Routes: the moves that take a planned case to its state, and when they happen.

`draw_route` draws the moves (assign, start, step, propose, sign, visit, close, refer, dismiss)
along the mediation workflow; `schedule` spreads them between the report and now.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import NamedTuple

from bench.corpus import STEP_COUNTS
from bench.draws import weighted
from bench.people import Staff
from bench.plans import TEAM_CASE, THIRTY_STEPS_CASE, CasePlan
from casework.vocabulary import GBV

THIRTY_STEPS = 30
SIGNING_ROLES = ("commune_authority", "traditional_leader")
MILESTONES = (30, 90)
FINAL_STATES = ("closed", "referred", "not_admissible")
EXIT_TRIGGERS = {"referred": "refer", "not_admissible": "declare_not_admissible"}


class Move(NamedTuple):
    """One thing done on a case, `gap` days after the previous move (or the report)."""

    action: str  # a CaseStory method
    gap: float
    arg: object = None
    # A follow-up visit: its gap follows the agreement's milestones and is never rescaled.
    fixed: bool = False


# How old a case must be to hold a broken agreement and still reach its state.
BROKEN_MIN_AGE = {"resolved": 150, "followed_up": 200, "closed": 250}
# Mean days since the last move, for a case still open.
DWELL_MEAN_DAYS = {"reported": 4, "in_mediation": 12, "resolved": 20, "followed_up": 20}


def draw_route(rng: random.Random, plan: CasePlan, age: float) -> list[Move]:
    """The moves that take a new case to `plan.state`."""
    state, staff = plan.state, plan.staff
    if plan.special == THIRTY_STEPS_CASE:
        return start_moves(rng, staff) + steps(rng, THIRTY_STEPS)
    if state == "reported":
        if plan.special == TEAM_CASE or (plan.conflict_type != GBV and rng.random() < 0.5):
            return [Move("assign", rng.uniform(0.1, 5), draw_team(rng, staff))]
        return []
    if state in EXIT_TRIGGERS and (plan.conflict_type == GBV or rng.random() < 0.55):
        moves = []
        if plan.conflict_type != GBV and rng.random() < 0.25:
            moves.append(Move("assign", rng.uniform(0.1, 3), draw_team(rng, staff)))
        return moves + [Move(EXIT_TRIGGERS[state], rng.uniform(0.2, 10))]
    moves = start_moves(rng, staff) + steps(rng)
    if state in EXIT_TRIGGERS:
        if rng.random() < 0.15:
            moves += pending_proposal(rng)
        return moves + [Move(EXIT_TRIGGERS[state], rng.uniform(1, 20))]
    if state == "in_mediation":
        return moves + rest_of_mediation(rng, age)
    return moves + agreement_and_after(rng, state, age)


def draw_team(rng: random.Random, staff: Staff) -> list[int]:
    if len(staff.mediators) > 1 and rng.random() < 0.35:
        return sorted(staff.mediators)
    return [rng.choice(staff.mediators)]


def start_moves(rng: random.Random, staff: Staff) -> list[Move]:
    team = draw_team(rng, staff)
    moves = [Move("assign", rng.uniform(0.1, 4), team), Move("start", rng.uniform(0.2, 6))]
    others = [user for user in staff.mediators if user not in team]
    if others and rng.random() < 0.15:
        moves.append(Move("add_member", rng.uniform(3, 20), others[0]))
    return moves


def steps(rng: random.Random, count: int | None = None) -> list[Move]:
    return [Move("step", rng.uniform(1, 12)) for _ in range(count or weighted(rng, STEP_COUNTS))]


def sign(rng: random.Random, role: str, decision: str) -> Move:
    return Move("sign", rng.uniform(0.5, 6), (role, decision))


def agreement(rng: random.Random) -> list[Move]:
    """A proposal that both signing roles approve, in either order."""
    roles = rng.sample(SIGNING_ROLES, 2)
    return [Move("propose", rng.uniform(1, 8)), *(sign(rng, role, "approve") for role in roles)]


def rejected_round(rng: random.Random) -> list[Move]:
    """A proposal that one signing role rejects (perhaps after the other approved), then steps."""
    roles = rng.sample(SIGNING_ROLES, 2)
    moves = [Move("propose", rng.uniform(1, 8))]
    if rng.random() < 0.5:
        moves.append(sign(rng, roles.pop(), "approve"))
    return moves + [sign(rng, roles[0], "reject")] + steps(rng, rng.randint(1, 2))


def pending_proposal(rng: random.Random) -> list[Move]:
    moves = [Move("propose", rng.uniform(1, 8))]
    if rng.random() < 0.5:
        moves.append(sign(rng, rng.choice(SIGNING_ROLES), "approve"))
    return moves


def broken_agreement(rng: random.Random) -> list[Move]:
    """The 30-day visit finds the agreement broken: back to mediation, and more steps."""
    visit = Move("visit", 30 + rng.uniform(-2, 8), (30, "broken"), fixed=True)
    return [visit] + steps(rng, rng.randint(1, 3))


def follow_ups(rng: random.Random, count: int) -> list[Move]:
    """The first `count` planned visits, which find the agreement holding."""
    gaps = (30 + rng.uniform(-2, 8), 60 + rng.uniform(-3, 10))  # about 30, then 90 days after
    return [Move("visit", gaps[index],
                 (MILESTONES[index], "respected" if rng.random() < 0.88 else "partly"),
                 fixed=True) for index in range(count)]


def rest_of_mediation(rng: random.Random, age: float) -> list[Move]:
    moves = []
    if age >= 90 and rng.random() < 0.06:
        moves += agreement(rng) + broken_agreement(rng)
    elif rng.random() < 0.06:
        moves += rejected_round(rng)
    if rng.random() < 0.3:
        moves += pending_proposal(rng)
    return moves


def agreement_and_after(rng: random.Random, state: str, age: float) -> list[Move]:
    moves = rejected_round(rng) if rng.random() < 0.05 else []
    moves += agreement(rng)
    if age >= BROKEN_MIN_AGE[state] and rng.random() < 0.04:
        moves += broken_agreement(rng) + agreement(rng)
    if state == "resolved":
        moves += follow_ups(rng, 1 if age >= 60 and rng.random() < 0.5 else 0)
    else:
        moves += follow_ups(rng, len(MILESTONES))
    if state == "closed":
        moves.append(Move("close", rng.uniform(2, 30)))
    return moves


def schedule(rng: random.Random, state: str, moves: list[Move], created_at: datetime,
             now: datetime) -> list[datetime]:
    """When each move happens, the route fitted between the report and now.

    A case in a final state keeps its natural pace (squeezed only when it is too young for it);
    an open case is stretched or squeezed so that its last move comes a plausible while ago.
    """
    age = (now - created_at) / timedelta(days=1)
    fixed = sum(move.gap for move in moves if move.fixed)
    flexible = sum(move.gap for move in moves if not move.fixed)
    room = age - fixed
    assert room > 0, f"a case {age:.0f} days old cannot hold {fixed:.0f} days of visits"
    if state in FINAL_STATES:
        span = min(flexible, room * 0.98)
    else:
        span = max(room - rng.expovariate(1 / DWELL_MEAN_DAYS[state]), room * 0.5)
    scale = span / flexible if flexible else 0.0
    moments, moment = [], created_at
    for move in moves:
        moment += timedelta(days=move.gap if move.fixed else move.gap * scale)
        moments.append(moment)
    return moments
