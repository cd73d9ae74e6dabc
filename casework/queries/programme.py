"""The programme report's figures: one function per figure, each one aggregate query (or two)
over the communes, the period and the partner the report covers, never one query per commune.

Every function takes a `Scope` and returns `Counts`: its columns (key, label) and, per commune
id, a number per column. A commune with nothing to count is absent from the rows (the report
shows it with zeros). Each figure says which cases or activities it counts (`COUNTS`):

- `reported`: the cases reported in the period (their report date, the field's for an import);
- `open_at_end`: the cases reported by the end of the period and not closed, referred or
  declared not admissible by then;
- `acted`: what happened in the period (a mediation started, an agreement signed, a visit),
  whenever the case was reported;
- `activities`: the mechanisms' activities held in the period;
- `standing`: what stands at the end of the period (a mechanism set up, its members).

The partner filters the cases and the activities credited to it; what no partner is credited
with (the FFOM analyses, the members, the mechanisms themselves) is not filtered by it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy import case as when

from ..access import in_communes
from ..clock import day_start
from ..extensions import db
from ..models import (
    PARTICIPANTS,
    ActionPlan,
    ActivityPartner,
    Appreciation,
    AuthorityPresent,
    Case,
    CasePartner,
    FfomAnalysis,
    Mechanism,
    MechanismActivity,
    MechanismMember,
    Partner,
    PlannedActivity,
)
from ..vocabulary import (
    ADVOCACY_OUTCOMES,
    AGE_GROUPS,
    AUTHORITY_ROLES,
    CONFLICT_TYPES,
    MECHANISM_AGE_GROUPS,
    MEMBER_SEXES,
    REACHED,
    REFERRAL_MEASURES,
    SEXES,
)
from . import figures, referral_figures
from .filters import CaseFilters


@dataclass(frozen=True)
class Scope:
    """What a report covers: the communes (already the user's), the period (Bamako days, both
    ends included; None where open) and the partner (None: all)."""

    commune_ids: frozenset[int]
    date_from: date | None = None
    date_to: date | None = None
    partner_id: int | None = None

    def communes(self, column) -> list:
        return in_communes(column, self.commune_ids)

    def days(self, column) -> list:
        return [c for c in (self.date_from and column >= self.date_from,
                            self.date_to and column <= self.date_to) if c is not None]

    def instants(self, column) -> list:
        start = day_start(self.date_from) if self.date_from else None
        end = day_start(self.date_to + timedelta(days=1)) if self.date_to else None
        return [*([column >= start] if start else []), *([column < end] if end else [])]

    def before_end(self, column) -> list:
        if not self.date_to:
            return []
        return [column < day_start(self.date_to + timedelta(days=1))]


@dataclass
class Counts:
    columns: list[tuple[str, str]]
    rows: dict[int, dict[str, float]] = field(default_factory=dict)

    def add(self, commune_id: int, key: str, value) -> None:
        row = self.rows.setdefault(commune_id, {})
        row[key] = row.get(key, 0) + (value or 0)

    def cell(self, commune_id: int, key: str):
        return self.rows.get(commune_id, {}).get(key, 0)

    def total(self, key: str):
        return sum(row.get(key, 0) for row in self.rows.values())


def _reached_columns() -> list[tuple[str, str]]:
    return [(name, str(label)) for name, label in REACHED.items()]


def _mediation_columns() -> list[tuple[str, str]]:
    labels = {"women": _l("Adult women"), "young_women": _l("Young women and girls (15-35)"),
              "men": _l("Adult men"), "young_men": _l("Young men and boys (15-35)")}
    return [(name, str(labels[name])) for name in PARTICIPANTS]


# -- the cases ------------------------------------------------------------------------------

def _cases(scope: Scope) -> list:
    """The conditions on Case of every case figure: the communes, the partner, checked."""
    credited = ([Case.id.in_(select(CasePartner.case_id)
                             .where(CasePartner.partner_id == scope.partner_id))]
                if scope.partner_id else [])
    return figures.counted([*scope.communes(Case.commune_id), *credited])


def _reported(scope: Scope) -> list:
    return [*_cases(scope), *scope.instants(Case.created_at)]


def _filters(scope: Scope) -> CaseFilters:
    return CaseFilters(date_from=scope.date_from, date_to=scope.date_to)


def _one_column(column: str, label, rows) -> Counts:
    counts = Counts([(column, str(label))])
    for commune_id, n in rows:
        counts.add(commune_id, column, n)
    return counts


def _entered(scope: Scope, tag: str, label) -> Counts:
    """Cases that entered a state carrying `tag` (of figures.PROGRESS_TAGS) in the period."""
    return _one_column("cases", label, (
        (commune_id, n) for commune_id, reached, n in
        figures.plan_progress(_cases(scope), _filters(scope)) if reached == tag))


def cases_reported(scope: Scope) -> Counts:
    """Cases reported in the period (`reported`)."""
    return _one_column("cases", _l("Cases"), figures.reported_cases(_reported(scope)))


def cases_taken_on(scope: Scope) -> Counts:
    """Cases whose mediation started in the period (`acted`): what the target of 2 counts."""
    return _entered(scope, "in_mediation", _l("Conflicts taken on"))


def agreements_signed(scope: Scope) -> Counts:
    """Cases resolved in the period (`acted`): an agreement signed by the mayor and a
    traditional leader."""
    return _entered(scope, "resolved", _l("Agreements signed"))


def open_at_end(scope: Scope) -> Counts:
    """Cases reported by the end of the period and not ended by then (`open_at_end`)."""
    filters = _filters(scope)
    return _one_column("cases", _l("Open cases"), (
        (commune_id, n) for commune_id, _state, n, _late in
        figures.open_cases(figures.at_end(filters, _cases(scope)), figures.end_of(filters))))


def follow_ups(scope: Scope) -> Counts:
    """Agreements checked by a follow-up visit in the period, and those found broken
    (`acted`)."""
    counts = Counts([("checked", str(_l("Agreements checked by a visit"))),
                     ("broken", str(_l("Found broken")))])
    for commune_id, checked, broken in figures.follow_ups(_cases(scope), _filters(scope)):
        counts.add(commune_id, "checked", checked)
        counts.add(commune_id, "broken", broken)
    return counts


def conflicts_by_type(scope: Scope) -> Counts:
    """Cases reported in the period per type of conflict (`reported`)."""
    counts = Counts([(code, str(name)) for code, name in CONFLICT_TYPES.items()])
    for commune_id, kind, n in figures.by_type(_reported(scope), per_commune=True):
        counts.add(commune_id, kind, n)
    return counts


def parties_by_sex_age(scope: Scope) -> Counts:
    """Parties of the cases reported in the period, by sex and age group (`reported`)."""
    counts = Counts([(f"{sex}_{age}", f"{SEXES[sex]} · {AGE_GROUPS[age]}")
                     for sex in SEXES for age in AGE_GROUPS])
    for commune_id, sex, age, n in figures.parties(_reported(scope), per_commune=True):
        counts.add(commune_id, f"{sex}_{age}", n)
    return counts


def mediation_participants(scope: Scope) -> Counts:
    """People, women among them, who took part in the mediation steps held in the period
    (`acted`)."""
    counts = Counts(_mediation_columns())
    for commune_id, sums in figures.participants(
            scope.commune_ids, _cases(scope), _filters(scope),
            live=scope.partner_id is not None).items():
        for name, value in sums.items():
            counts.add(commune_id, name, value)
    return counts


def cases_by_partner(scope: Scope) -> Counts:
    """Cases reported in the period per partner credited with them (`reported`)."""
    return _by_partner(select(Case.commune_id, CasePartner.partner_id, func.count())
                       .outerjoin(CasePartner, CasePartner.case_id == Case.id)
                       .where(*_reported(scope))
                       .group_by(Case.commune_id, CasePartner.partner_id))


def _referred(scope: Scope) -> referral_figures.ReferralFigures:
    """The referrals sent in the period of the report's cases (referral_figures.py)."""
    return referral_figures.build(_cases(scope), _filters(scope))


def referrals_by_answer(scope: Scope) -> Counts:
    """Referrals sent in the period, by the service's answer as it stood at its end: accepted,
    declined, without an answer, late, answered in time, with their outcome recorded."""
    counts = Counts([(m, str(name)) for m, name in REFERRAL_MEASURES.items()])
    for group in _referred(scope).communes:
        for measure in REFERRAL_MEASURES:
            counts.add(group.key, measure, group.tally[measure])
    return counts


def people_referred(scope: Scope) -> Counts:
    """The parties of the cases referred in the period, by sex and age group."""
    counts = Counts([(f"{sex}_{age}", f"{SEXES[sex]} · {AGE_GROUPS[age]}")
                     for sex in SEXES for age in AGE_GROUPS])
    for row in _referred(scope).rows:
        for (sex, age), n in row.parties.items():
            counts.add(row.commune_id, f"{sex}_{age}", n)
    return counts


# -- the mechanisms -------------------------------------------------------------------------

def _credited_to(partner_id: int):
    """Activities credited to the partner."""
    return MechanismActivity.id.in_(select(ActivityPartner.activity_id)
                                    .where(ActivityPartner.partner_id == partner_id))


def _activities(scope: Scope, *conditions) -> list:
    return [*scope.communes(Mechanism.commune_id), *scope.days(MechanismActivity.held_on),
            *([_credited_to(scope.partner_id)] if scope.partner_id else []), *conditions]


def _held(scope: Scope, *conditions, sessions_label=None) -> Counts:
    """Activities held in the period that meet `conditions`: how many, and the people they
    reached by sex and age group."""
    counts = Counts([("sessions", str(sessions_label or _l("Sessions"))), *_reached_columns()])
    for commune_id, n, *sums in db.session.execute(
            select(Mechanism.commune_id, func.count(),
                   *(func.sum(getattr(MechanismActivity, name)) for name in REACHED))
            .join(Mechanism, Mechanism.id == MechanismActivity.mechanism_id)
            .where(*_activities(scope, *conditions))
            .group_by(Mechanism.commune_id)):
        counts.add(commune_id, "sessions", n)
        for name, value in zip(REACHED, sums, strict=True):
            counts.add(commune_id, name, int(value or 0))
    return counts


def communes_with_mechanism(scope: Scope) -> Counts:
    """The communes whose mechanism is set up by the end of the period (`standing`)."""
    set_up = [or_(Mechanism.set_up_on.is_(None), Mechanism.set_up_on <= scope.date_to)] \
        if scope.date_to else []
    counts = Counts([("mechanism", str(_l("Mechanism set up")))])
    for (commune_id,) in db.session.execute(
            select(Mechanism.commune_id).where(*scope.communes(Mechanism.commune_id), *set_up)):
        counts.add(commune_id, "mechanism", 1)
    return counts


def mechanism_members(scope: Scope) -> Counts:
    """Members of the mechanisms at the end of the period, by sex and age group
    (`standing`)."""
    counts = Counts([(f"{sex}_{age}", f"{MEMBER_SEXES[sex]} · {MECHANISM_AGE_GROUPS[age]}")
                     for sex in MEMBER_SEXES for age in MECHANISM_AGE_GROUPS])
    end = scope.date_to
    current = [MechanismMember.left_on.is_(None)] if not end else [
        or_(MechanismMember.joined_on.is_(None), MechanismMember.joined_on <= end),
        or_(MechanismMember.left_on.is_(None), MechanismMember.left_on > end)]
    for commune_id, sex, age, n in db.session.execute(
            select(Mechanism.commune_id, MechanismMember.sex, MechanismMember.age_group,
                   func.count())
            .join(Mechanism, Mechanism.id == MechanismMember.mechanism_id)
            .where(*scope.communes(Mechanism.commune_id), *current)
            .group_by(Mechanism.commune_id, MechanismMember.sex, MechanismMember.age_group)):
        counts.add(commune_id, f"{sex}_{age}", n)
    return counts


def ffom_analyses(scope: Scope) -> Counts:
    """FFOM analyses held in the period, every one (not only the latest), and the women and
    men who took part (`activities`)."""
    counts = Counts([("sessions", str(_l("FFOM analyses"))),
                     ("women", str(_l("Women who took part"))),
                     ("men", str(_l("Men who took part")))])
    for commune_id, n, women, men in db.session.execute(
            select(Mechanism.commune_id, func.count(), func.sum(FfomAnalysis.women),
                   func.sum(FfomAnalysis.men))
            .join(Mechanism, Mechanism.id == FfomAnalysis.mechanism_id)
            .where(*scope.communes(Mechanism.commune_id), *scope.days(FfomAnalysis.analysed_on))
            .group_by(Mechanism.commune_id)):
        counts.add(commune_id, "sessions", n)
        counts.add(commune_id, "women", int(women or 0))
        counts.add(commune_id, "men", int(men or 0))
    return counts


def trainings(scope: Scope) -> Counts:
    """Training sessions held in the period, with the participants by sex and age."""
    return _held(scope, MechanismActivity.kind == "training")


def awareness_sessions(scope: Scope) -> Counts:
    """Awareness sessions held in the period, with the people reached by sex and age."""
    return _held(scope, MechanismActivity.kind == "awareness")


def women_groups_support(scope: Scope) -> Counts:
    """Activities held in the period that were led by or supported women's groups."""
    return _held(scope, MechanismActivity.women_groups.is_(True))


def people_reached(scope: Scope) -> Counts:
    """Every activity held in the period, and the people it reached by sex and age."""
    return _held(scope, sessions_label=_l("Activities held"))


def advocacy(scope: Scope) -> Counts:
    """Advocacy sessions with the communal authorities held in the period, and whether the
    needs they carried entered the PDSEC (yes, partly, no, not yet known)."""
    counts = Counts([("sessions", str(_l("Advocacy sessions"))),
                     *((code, str(name)) for code, name in ADVOCACY_OUTCOMES.items()),
                     ("unknown", str(_l("Outcome not yet known")))])
    for commune_id, outcome, n in db.session.execute(
            select(Mechanism.commune_id, MechanismActivity.advocacy_outcome, func.count())
            .join(Mechanism, Mechanism.id == MechanismActivity.mechanism_id)
            .where(*_activities(scope, MechanismActivity.kind == "advocacy"))
            .group_by(Mechanism.commune_id, MechanismActivity.advocacy_outcome)):
        counts.add(commune_id, "sessions", n)
        counts.add(commune_id, outcome if outcome in ADVOCACY_OUTCOMES else "unknown", n)
    return counts


def authorities_present(scope: Scope) -> Counts:
    """Authorities present at the activities held in the period, by sex and by role."""
    counts = Counts([("F", str(SEXES["F"])), ("M", str(SEXES["M"])),
                     *((code, str(name)) for code, name in AUTHORITY_ROLES.items())])
    for commune_id, role, sex, n in db.session.execute(
            select(Mechanism.commune_id, AuthorityPresent.role, AuthorityPresent.sex,
                   func.count())
            .join(MechanismActivity, MechanismActivity.id == AuthorityPresent.activity_id)
            .join(Mechanism, Mechanism.id == MechanismActivity.mechanism_id)
            .where(*_activities(scope))
            .group_by(Mechanism.commune_id, AuthorityPresent.role, AuthorityPresent.sex)):
        counts.add(commune_id, sex, n)
        counts.add(commune_id, role, n)
    return counts


def plans_and_budgets(scope: Scope) -> Counts:
    """Plan activities planned in the period, done in it, and their budgets in FCFA: planned,
    and spent (the actual cost, else the planned budget); cancelled ones left out."""
    live = PlannedActivity.status != "cancelled"
    held_on = func.coalesce(MechanismActivity.held_on, PlannedActivity.planned_on)
    done = and_(PlannedActivity.status == "done", *scope.days(held_on))
    planned = and_(live, *scope.days(PlannedActivity.planned_on))
    cost = func.coalesce(PlannedActivity.actual_cost, PlannedActivity.budget)
    # With a partner: what it carried out, and what is planned with no record yet.
    by_partner = [or_(MechanismActivity.id.is_(None), _credited_to(scope.partner_id))] \
        if scope.partner_id else []
    counts = Counts([("planned", str(_l("Activities planned"))),
                     ("done", str(_l("Activities done"))),
                     ("budget_planned", str(_l("Budget planned (FCFA)"))),
                     ("budget_spent", str(_l("Budget spent (FCFA)")))])
    for commune_id, *values in db.session.execute(
            select(Mechanism.commune_id, func.sum(when((planned, 1), else_=0)),
                   func.sum(when((done, 1), else_=0)),
                   func.sum(when((planned, PlannedActivity.budget), else_=0)),
                   func.sum(when((done, cost), else_=0)))
            .select_from(PlannedActivity)
            .outerjoin(MechanismActivity, MechanismActivity.planned_id == PlannedActivity.id)
            .join(ActionPlan, ActionPlan.id == PlannedActivity.plan_id)
            .join(Mechanism, Mechanism.id == ActionPlan.mechanism_id)
            .where(*scope.communes(Mechanism.commune_id), *by_partner)
            .group_by(Mechanism.commune_id)):
        for key, value in zip(("planned", "done", "budget_planned", "budget_spent"), values,
                              strict=True):
            counts.add(commune_id, key, int(value or 0))
    return counts


def appreciations(scope: Scope) -> Counts:
    """The authorities' appreciations of the activities held in the period: how many, and
    their average rating from 1 to 4."""
    counts = Counts([("appreciations", str(_l("Appreciations"))),
                     ("rating", str(_l("Average rating (1 to 4)")))])
    for commune_id, n, average in db.session.execute(
            select(Mechanism.commune_id, func.count(), func.avg(Appreciation.rating))
            .join(MechanismActivity, MechanismActivity.id == Appreciation.activity_id)
            .join(Mechanism, Mechanism.id == MechanismActivity.mechanism_id)
            .where(*_activities(scope)).group_by(Mechanism.commune_id)):
        counts.add(commune_id, "appreciations", n)
        counts.rows[commune_id]["rating"] = round(float(average), 1)
    return counts


def activities_by_partner(scope: Scope) -> Counts:
    """Activities held in the period per partner credited with them."""
    return _by_partner(select(Mechanism.commune_id, ActivityPartner.partner_id, func.count())
                       .select_from(MechanismActivity)
                       .join(Mechanism, Mechanism.id == MechanismActivity.mechanism_id)
                       .outerjoin(ActivityPartner,
                                  ActivityPartner.activity_id == MechanismActivity.id)
                       .where(*_activities(scope))
                       .group_by(Mechanism.commune_id, ActivityPartner.partner_id))


def _by_partner(query) -> Counts:
    partners = db.session.execute(select(Partner.id, Partner.code).order_by(Partner.code)).all()
    counts = Counts([*((str(pid), code) for pid, code in partners),
                     ("none", str(_l("No partner named")))])
    for commune_id, partner_id, n in db.session.execute(query):
        counts.add(commune_id, str(partner_id) if partner_id else "none", n)
    return counts


# Which cases or activities each figure counts (a key of COUNTS), said beside each indicator.
COUNTED = {
    "communes_with_mechanism": "standing", "mechanism_members": "standing",
    "ffom_analyses": "activities", "trainings": "activities", "awareness_sessions": "activities",
    "advocacy": "activities", "women_groups_support": "activities",
    "authorities_present": "activities", "people_reached": "activities",
    "plans_and_budgets": "activities", "appreciations": "activities",
    "activities_by_partner": "activities", "cases_reported": "reported",
    "cases_taken_on": "acted", "agreements_signed": "acted", "open_at_end": "open_at_end",
    "follow_ups": "acted", "conflicts_by_type": "reported", "parties_by_sex_age": "reported",
    "mediation_participants": "acted", "cases_by_partner": "reported",
    "referrals_by_answer": "acted", "people_referred": "acted",
}

FIGURES = {fn.__name__: fn for fn in (
    communes_with_mechanism, mechanism_members, ffom_analyses, trainings, awareness_sessions,
    advocacy, women_groups_support, authorities_present, people_reached, plans_and_budgets,
    appreciations, activities_by_partner, cases_reported, cases_taken_on, agreements_signed,
    open_at_end, follow_ups, conflicts_by_type, parties_by_sex_age, mediation_participants,
    cases_by_partner, referrals_by_answer, people_referred)}
