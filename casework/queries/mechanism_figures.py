"""The mechanisms at a glance, per commune: members, plan progress, budget, people reached,
the authorities' appreciation and the latest FFOM analysis. One aggregate query per figure
over every commune the user covers, never one per commune.

"Budget spent" is the cost of the plan activities done: their actual cost when it was given,
else their planned budget. Cancelled activities count neither as planned nor as spent.

The filters (casework/queries/filters.py, as on the main dashboard) narrow the communes to one
and, with a period, the activities carried out: the people reached, the activities done and
the budget spent count those held in the period (a plan activity marked done without a record
counts on its planned date). What was planned, the members, the appreciations and the latest
FFOM are not dated by the period.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy import case as when

from ..access import communes_in, in_communes
from ..extensions import db
from ..models import (
    FFOM_LISTS,
    ActionPlan,
    Appreciation,
    FfomAnalysis,
    Mechanism,
    MechanismActivity,
    MechanismMember,
    PlannedActivity,
)
from ..vocabulary import REACHED, REACHED_ELDERS, REACHED_WOMEN, REACHED_YOUTH
from .dashboard import share
from .filters import CaseFilters


@dataclass
class LatestFfom:
    analysed_on: date
    counts: dict[str, int]  # items per list
    women: int
    men: int


@dataclass
class MechanismRow:
    commune: Any  # a row of access.communes_in
    mechanism_name: str | None = None
    set_up_on: date | None = None
    members: dict[tuple[str, str], int] = field(default_factory=dict)  # (sex, age) -> n
    planned: int = 0
    done: int = 0
    budget_planned: int = 0
    budget_spent: int = 0
    activities: int = 0
    reached: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REACHED, 0))
    appreciations: int = 0
    rating: float | None = None
    ffom: LatestFfom | None = None

    @property
    def member_total(self) -> int:
        return sum(self.members.values())

    @property
    def women_members_share(self):
        return share(sum(n for (sex, _), n in self.members.items() if sex == "F"),
                     self.member_total)

    @property
    def youth_members_share(self):
        return share(sum(n for (_, age), n in self.members.items() if age == "youth"),
                     self.member_total)

    @property
    def done_share(self):
        return share(self.done, self.planned)

    @property
    def spent_share(self):
        return share(self.budget_spent, self.budget_planned)

    @property
    def reached_total(self) -> int:
        return sum(self.reached.values())

    @property
    def reached_women(self) -> int:
        return sum(self.reached[name] for name in REACHED_WOMEN)

    @property
    def reached_youth(self) -> int:
        return sum(self.reached[name] for name in REACHED_YOUTH)

    @property
    def reached_elders(self) -> int:
        return sum(self.reached[name] for name in REACHED_ELDERS)


@dataclass
class MechanismFigures:
    rows: list[MechanismRow]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.rows)

    @property
    def reached(self) -> dict[str, int]:
        return {name: sum(row.reached[name] for row in self.rows) for name in REACHED}

    @property
    def reached_total(self) -> int:
        return sum(self.reached.values())

    @property
    def women_reached_share(self):
        reached = self.reached
        return share(sum(reached[n] for n in REACHED_WOMEN), self.reached_total)


# What the period filters, said on the page and in the exported file alike.
PERIOD_NOTE = _l("The period filters the activities carried out: the people reached, the "
                 "activities done and the budget spent count those held between these dates. "
                 "The activities and budget planned, the members, the appreciations and the "
                 "latest FFOM analysis are not dated by it.")


def filters_from(args) -> CaseFilters:
    """The filters of these figures, read from a query string like the main dashboard's (a
    commune, a period; dd/mm/yyyy accepted): what selects cases by what they are is dropped."""
    return CaseFilters.from_args(args).but(status=None, conflict_type=None, q="")


def build(commune_ids, filters: CaseFilters | None = None) -> MechanismFigures:
    """The figures of the communes `commune_ids` (the user's), narrowed by `filters`."""
    filters = filters or CaseFilters()
    commune_ids = filters.scope(commune_ids)
    rows = {c.id: MechanismRow(c) for c in communes_in(commune_ids)}
    scope = in_communes(Mechanism.commune_id, commune_ids)
    for commune_id, name, set_up_on in db.session.execute(
            select(Mechanism.commune_id, Mechanism.name, Mechanism.set_up_on).where(*scope)):
        rows[commune_id].mechanism_name, rows[commune_id].set_up_on = name, set_up_on
    for commune_id, sex, age, count in members(scope):
        rows[commune_id].members[(sex, age)] = count
    for commune_id, planned, done, budget, spent in plan_progress(scope, filters):
        row = rows[commune_id]
        row.planned, row.done, row.budget_planned, row.budget_spent = planned, done, budget, spent
    for commune_id, count, *sums in reached(scope, filters):
        rows[commune_id].activities = count
        rows[commune_id].reached = dict(zip(REACHED, sums, strict=True))
    for commune_id, count, average in appreciation(scope):
        rows[commune_id].appreciations, rows[commune_id].rating = count, average
    for commune_id, latest in latest_ffom(scope).items():
        rows[commune_id].ffom = latest
    return MechanismFigures(rows=list(rows.values()))


def members(scope) -> list[tuple[int, str, str, int]]:
    """(commune, sex, age group, current members)."""
    return [tuple(r) for r in db.session.execute(
        select(Mechanism.commune_id, MechanismMember.sex, MechanismMember.age_group,
               func.count())
        .join(Mechanism, Mechanism.id == MechanismMember.mechanism_id)
        .where(*scope, MechanismMember.left_on.is_(None))
        .group_by(Mechanism.commune_id, MechanismMember.sex, MechanismMember.age_group))]


def plan_progress(scope, filters: CaseFilters) -> list[tuple[int, int, int, int, int]]:
    """(commune, activities planned, done, budget planned, budget spent), cancelled left out;
    done and spent within the period, on the date the activity was held."""
    live = PlannedActivity.status != "cancelled"
    held_on = func.coalesce(MechanismActivity.held_on, PlannedActivity.planned_on)
    done = and_(PlannedActivity.status == "done", *filters.during_days(held_on))
    cost = func.coalesce(PlannedActivity.actual_cost, PlannedActivity.budget)
    return [tuple(int(v or 0) if i else v for i, v in enumerate(r)) for r in db.session.execute(
        select(Mechanism.commune_id,
               func.sum(when((live, 1), else_=0)), func.sum(when((done, 1), else_=0)),
               func.sum(when((live, PlannedActivity.budget), else_=0)),
               func.sum(when((done, cost), else_=0)))
        .select_from(PlannedActivity)
        .outerjoin(MechanismActivity, MechanismActivity.planned_id == PlannedActivity.id)
        .join(ActionPlan, ActionPlan.id == PlannedActivity.plan_id)
        .join(Mechanism, Mechanism.id == ActionPlan.mechanism_id)
        .where(*scope).group_by(Mechanism.commune_id))]


def reached(scope, filters: CaseFilters) -> list[tuple]:
    """(commune, activities carried out in the period, then the people reached per REACHED
    group)."""
    return [tuple(int(v or 0) for v in r) for r in db.session.execute(
        select(Mechanism.commune_id, func.count(),
               *(func.sum(getattr(MechanismActivity, name)) for name in REACHED))
        .join(Mechanism, Mechanism.id == MechanismActivity.mechanism_id)
        .where(*scope, *filters.during_days(MechanismActivity.held_on))
        .group_by(Mechanism.commune_id))]


def appreciation(scope) -> list[tuple[int, int, float | None]]:
    """(commune, appreciations given, their average rating)."""
    return [(c, n, float(avg) if avg is not None else None) for c, n, avg in db.session.execute(
        select(Mechanism.commune_id, func.count(), func.avg(Appreciation.rating))
        .join(MechanismActivity, MechanismActivity.id == Appreciation.activity_id)
        .join(Mechanism, Mechanism.id == MechanismActivity.mechanism_id)
        .where(*scope).group_by(Mechanism.commune_id))]


def latest_ffom(scope) -> dict[int, LatestFfom]:
    """The most recent FFOM analysis of each mechanism (the later id on the same day)."""
    ranked = (select(FfomAnalysis.id, func.row_number().over(
        partition_by=FfomAnalysis.mechanism_id,
        order_by=(FfomAnalysis.analysed_on.desc(), FfomAnalysis.id.desc())).label("rank"))
        .subquery())
    found = {}
    for commune_id, analysis in db.session.execute(
            select(Mechanism.commune_id, FfomAnalysis)
            .join(Mechanism, Mechanism.id == FfomAnalysis.mechanism_id)
            .join(ranked, and_(ranked.c.id == FfomAnalysis.id, ranked.c.rank == 1))
            .where(*scope)):
        found[commune_id] = LatestFfom(
            analysed_on=analysis.analysed_on, women=analysis.women, men=analysis.men,
            counts={name: len(analysis.items(name)) for name in FFOM_LISTS})
    return found
