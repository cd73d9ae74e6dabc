"""The referrals counted: by service (and kind of service) and by commune, how many were sent
in the period, answered (accepted, declined), left without an answer and late, how long the
services took to answer, how many outcomes were recorded; and the same by sex and age group of
the parties referred. The dashboard, its export, the per-referral export and the programme
report all read them here, from the same rows (`rows`), so that they agree.

Which referrals: those sent in the period (`referred_at`), of the cases the filters select
whatever their report date, never a case still to check; each as it stood at the end of the
period, or now when the period ends later (THE rule: referral_standing.py). No name, no
village: a referral here is its case's reference, its commune, its service and its dates, and
its parties only as counts by sex and age group, a confidential case like any other.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from statistics import median

from sqlalchemy import func, select

from ..clock import local, utcnow
from ..extensions import db
from ..models import Case, Commune, Party, Referral, Service
from ..vocabulary import AGE_GROUPS, SERVICE_KINDS, SEXES, label
from . import referral_standing as standing
from .checked import CHECKED
from .filters import CaseFilters

# The counts of a tally, in the order the tables show them.
MEASURES = ("sent", "accepted", "declined", "unanswered", "late", "in_time",
            "outcome_recorded")
# The counts by sex and age group: of the parties of the referrals so counted.
PEOPLE_MEASURES = ("sent", "accepted", "declined", "unanswered", "late", "outcome_recorded")


@dataclass(frozen=True)
class ReferralRow:
    """One referral as it stood at the moment the figures are read at."""

    id: int
    reference: str
    commune_id: int
    commune: str
    service_id: int
    service: str
    kind: str
    referred_on: date
    answer_by: date
    answered_on: date | None  # None: no answer by the moment
    declined: bool
    late: bool
    outcome_on: date | None  # None: no outcome recorded by the moment
    parties: dict[tuple[str, str], int]

    @property
    def status(self) -> str:
        """sent, accepted, declined or outcome_recorded, at the moment (REFERRAL_STATUSES)."""
        if self.outcome_on:
            return "outcome_recorded"
        if self.answered_on:
            return "declined" if self.declined else "accepted"
        return "sent"

    @property
    def days_to_answer(self) -> int | None:
        return None if self.answered_on is None else (self.answered_on - self.referred_on).days

    @property
    def in_time(self) -> bool:
        """Answered by the day the answer was due (the service's answer time)."""
        return self.answered_on is not None and self.answered_on <= self.answer_by

    def measures(self) -> dict[str, bool]:
        answered = self.answered_on is not None
        return {"sent": True, "accepted": answered and not self.declined,
                "declined": answered and self.declined, "unanswered": not answered,
                "late": self.late, "in_time": self.in_time,
                "outcome_recorded": self.outcome_on is not None}


@dataclass
class Tally:
    """The counts of some referrals, with the days each answered one took."""

    counts: Counter = field(default_factory=Counter)
    days: list[int] = field(default_factory=list)

    def add(self, row: ReferralRow) -> None:
        for measure, counted in row.measures().items():
            self.counts[measure] += counted
        if row.days_to_answer is not None:
            self.days.append(row.days_to_answer)

    def __getitem__(self, measure: str) -> int:
        return self.counts[measure]

    @property
    def median_days(self) -> float | None:
        return float(median(self.days)) if self.days else None


@dataclass(frozen=True)
class Group:
    key: object
    name: str
    tally: Tally
    kind: str = ""
    commune: str = ""


@dataclass
class ReferralFigures:
    rows: list[ReferralRow]
    total: Tally
    # None in the figures-only form (a donor's): a small count of one kind of service in one
    # commune (a psychosocial unit) would say too much, as a type of conflict would.
    services: list[Group] | None
    kinds: list[Group] | None
    communes: list[Group]
    # (sex, age group) -> measure of PEOPLE_MEASURES -> parties of the referrals so counted.
    people: dict[tuple[str, str], Counter]

    @property
    def sent(self) -> int:
        return self.total["sent"]


def moment_of(filters: CaseFilters) -> datetime:
    """The instant the referrals are read at: the period's end, or now when it ends later."""
    end = filters.period()[1]
    return end if end is not None and end < utcnow() else utcnow()


def rows(case_conditions: list, filters: CaseFilters, *, limit: int | None = None
         ) -> list[ReferralRow]:
    """The referrals sent in the period of the cases `case_conditions` select, as they stood
    at `moment_of(filters)`, the latest first: two queries, the referrals and their parties."""
    moment = moment_of(filters)
    query = (select(Referral.id, Case.reference, Case.commune_id, Commune.name, Service.id,
                    Service.name, Service.kind, Referral.referred_at, Referral.answer_by,
                    Referral.answered_at, standing.answered(moment), standing.declined(moment),
                    standing.late(moment), Referral.outcome_at,
                    standing.outcome_recorded(moment))
             .join(Case, Case.id == Referral.case_id)
             .join(Commune, Commune.id == Case.commune_id)
             .join(Service, Service.id == Referral.service_id)
             .where(*case_conditions, standing.sent_by(moment),
                    *filters.during(Referral.referred_at))
             .order_by(Referral.referred_at.desc(), Referral.id.desc()))
    if limit is not None:
        query = query.limit(limit)
    found = db.session.execute(query).all()
    parties = _parties({row[0] for row in found})
    return [ReferralRow(
        id=rid, reference=reference, commune_id=commune_id, commune=commune,
        service_id=service_id, service=service, kind=kind,
        referred_on=local(referred_at).date(), answer_by=answer_by,
        answered_on=local(answered_at).date() if answered else None,
        declined=bool(declined), late=bool(late),
        outcome_on=local(outcome_at).date() if outcome else None,
        parties=parties.get(rid, {}))
        for (rid, reference, commune_id, commune, service_id, service, kind, referred_at,
             answer_by, answered_at, answered, declined, late, outcome_at, outcome) in found]


def _parties(referral_ids: set[int]) -> dict[int, dict[tuple[str, str], int]]:
    """Per referral, its case's parties by sex and age group (counts only, never a name)."""
    found: dict[int, dict[tuple[str, str], int]] = {}
    if not referral_ids:
        return found
    for referral_id, sex, age, n in db.session.execute(
            select(Referral.id, Party.sex, Party.age_group, func.count())
            .join(Party, Party.case_id == Referral.case_id)
            .where(Referral.id.in_(referral_ids))
            .group_by(Referral.id, Party.sex, Party.age_group)):
        found.setdefault(referral_id, {})[(sex, age)] = n
    return found


def _grouped(found: list[ReferralRow], key, name, **extra) -> list[Group]:
    tallies: dict = {}
    first: dict = {}
    for row in found:
        k = key(row)
        tallies.setdefault(k, Tally()).add(row)
        first.setdefault(k, row)
    groups = [Group(k, name(first[k]), tally, **{a: f(first[k]) for a, f in extra.items()})
              for k, tally in tallies.items()]
    return sorted(groups, key=lambda g: (-g.tally["sent"], g.name))


def tally(found: list[ReferralRow], *, by_service: bool = True) -> ReferralFigures:
    """Every count of the referrals `found`; without `by_service`, none by service nor by kind
    of service (those are left None, never counted)."""
    total = Tally()
    people: dict[tuple[str, str], Counter] = {
        (sex, age): Counter() for sex in SEXES for age in AGE_GROUPS}
    for row in found:
        total.add(row)
        measures = row.measures()
        for cell, n in row.parties.items():
            counter = people.setdefault(cell, Counter())
            for measure in PEOPLE_MEASURES:
                counter[measure] += n * measures[measure]
    return ReferralFigures(
        rows=found, total=total,
        services=_grouped(found, lambda r: r.service_id, lambda r: r.service,
                          kind=lambda r: r.kind, commune=lambda r: r.commune)
        if by_service else None,
        kinds=_grouped(found, lambda r: r.kind, lambda r: str(label(SERVICE_KINDS, r.kind)))
        if by_service else None,
        communes=_grouped(found, lambda r: r.commune_id, lambda r: r.commune),
        people=people)


def build(case_conditions: list, filters: CaseFilters) -> ReferralFigures:
    return tally(rows(case_conditions, filters))


def dashboard_conditions(commune_ids, filters: CaseFilters) -> list:
    """The dashboard's cases (its communes and filters, whatever the report date, never one
    still to check): those whose referrals it counts."""
    return [*filters.case_conditions(filters.scope(commune_ids), reported_in_period=False),
            CHECKED]


def for_dashboard(commune_ids, filters: CaseFilters, *, figures_only: bool = False
                  ) -> ReferralFigures:
    """The dashboard's referrals; in the figures-only form (a donor's), none by service nor by
    kind of service."""
    return tally(rows(dashboard_conditions(commune_ids, filters), filters),
                 by_service=not figures_only)
