"""The programme at a glance: the dashboard and the monthly report, built from figures.py
(whose functions the programme report reads too, so that the three agree on a period).

Three kinds of figures (`figures.COUNTS`), each said beside it:

- about the cases *reported in the period* (types, parties, teams, resolution rate): the same
  cases as the case list with the same filters;
- about the cases *open at the end of the period*, whenever reported (open cases, past their
  time limit, follow-up visits overdue, proposals waiting for sign-offs): read at the end of
  the period, or now when it ends later;
- about what *happened in the period* (resolved, referred, closed, mediation steps, follow-up
  visits): counted by the date it happened, whenever the case was reported.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from flask_babel import gettext as _

from ..access import communes_in, in_communes
from ..models import Case, Proposal
from ..vocabulary import AGE_GROUPS, CONFLICT_TYPES, SEXES
from ..workflow_registry import open_states
from . import figures, kept_figures
from .filters import CaseFilters
from .programme_report import Cell, _cell, _sum, complement

# A screen lists at most this many communes per table (the export has them all): with 700
# communes, the ones to act on first.
COMMUNES_SHOWN = 25


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide (shown as a dash, never 0 %)."""
    return part / whole if whole else None


@dataclass
class CommuneRow:
    commune: Any  # a row of access.communes_in: id, code, name, case_target
    open_by_state: dict[str, int] = field(default_factory=dict)
    past_sla: int = 0
    mediated: int = 0
    resolved: int = 0

    @property
    def open_total(self) -> int:
        return sum(self.open_by_state.values())

    @property
    def target_met(self) -> bool:
        return self.mediated >= self.commune.case_target


@dataclass
class Dashboard:
    filters: CaseFilters
    states: list[str]
    communes: list[CommuneRow]
    flows: dict[str, int]
    reported: int
    reported_resolved: int
    median_days_to_resolution: float | None
    follow_ups_overdue: int
    awaiting_by_role: dict[str, int]
    # figures.REFERRAL_ANSWERS -> how many referrals stood so at the end of the period.
    referrals: dict[str, int]
    pending_proposals: int
    oldest_proposals: list[Proposal]
    followed_agreements: int
    broken_agreements: int
    by_type: dict[str, int]
    participants: dict[str, int]
    cases_with_team: int
    teams_with_woman: int
    parties: dict[tuple[str, str], int]
    months: dict[str, dict[str, int]]

    @property
    def resolution_rate(self):
        return share(self.reported_resolved, self.reported)

    @property
    def relapse_rate(self):
        return share(self.broken_agreements, self.followed_agreements)

    @property
    def open_total(self) -> int:
        return sum(row.open_total for row in self.communes)

    @property
    def past_sla(self) -> int:
        return sum(row.past_sla for row in self.communes)

    @property
    def open_by_state(self) -> dict[str, int]:
        return {s: sum(r.open_by_state.get(s, 0) for r in self.communes) for s in self.states}

    @property
    def participant_total(self) -> int:
        return sum(self.participants.values())

    @property
    def women_share(self):
        p = self.participants
        return share(p["women"] + p["young_women"], self.participant_total)

    @property
    def youth_share(self):
        p = self.participants
        return share(p["young_women"] + p["young_men"], self.participant_total)

    @property
    def communes_meeting_target(self) -> int:
        return sum(row.target_met for row in self.communes)

    @cached_property
    def busiest_communes(self) -> list[CommuneRow]:
        """Communes with open cases, the most first."""
        rows = [row for row in self.communes if row.open_total]
        return sorted(rows, key=lambda r: (-r.open_total, r.commune.name))[:COMMUNES_SHOWN]

    @cached_property
    def plan_rows(self) -> list[CommuneRow]:
        """Every commune when they fit on a screen; else those furthest behind their target."""
        if len(self.communes) <= COMMUNES_SHOWN:
            return self.communes
        behind = [row for row in self.communes if not row.target_met]
        return sorted(behind, key=lambda r: (r.mediated - r.commune.case_target,
                                             r.commune.name))[:COMMUNES_SHOWN]


def build(commune_ids, filters: CaseFilters) -> Dashboard:
    """Every figure for the cases of `commune_ids` (the user's) that `filters` select."""
    scope = filters.scope(commune_ids)
    # Cases reported in the period, and whatever their report date; never one still to check.
    reported = figures.counted(filters.case_conditions(scope))
    selected = figures.counted(filters.case_conditions(scope, reported_in_period=False))
    # What is open, late or waiting at the end of the period, whenever it was reported.
    end = figures.end_of(filters)
    at_end = figures.at_end(filters, selected)
    rows = {c.id: CommuneRow(c) for c in communes_in(scope)}
    # The summaries where they can answer (kept_figures.py), else the live queries.
    months = kept_figures.usable(filters)
    everywhere = not in_communes(Case.commune_id, scope)
    if end is None and not filters.selects_cases:
        for commune_id, status, count in kept_figures.open_cases(scope):
            rows[commune_id].open_by_state[status] = count
        # Some communes' cases are read on the index of their commune, quicker than the whole
        # month's limits of every commune that the summary leaves to the hour.
        for commune_id, late in (kept_figures.past_limit(scope, at_end) if everywhere
                                 else figures.past_limit_now(at_end)):
            rows[commune_id].past_sla = late
    else:
        for commune_id, status, count, late in figures.open_cases(at_end, end):
            rows[commune_id].open_by_state[status] = count
            rows[commune_id].past_sla += late
    progress = (figures.plan_progress(selected, filters) if months is None
                else kept_figures.plan_progress(scope, months, figures.PROGRESS_TAGS))
    for commune_id, tag, count in progress:
        setattr(rows[commune_id],
                "mediated" if tag == "in_mediation" else "resolved", count)
    flows = (figures.flows(selected, filters) if months is None
             else kept_figures.flows(scope, months, figures.FLOW_TAGS))
    # Over an open period (the summaries per commune over every month), what happened whenever.
    whenever = months == (None, None)
    return Dashboard(
        filters=filters, states=open_states(), communes=list(rows.values()),
        flows=flows, reported=(sum(n for _commune, n in figures.reported_cases(reported))
                               if months is None else kept_figures.reported(scope, months)),
        # Whenever reported, the cases that reached an agreement are the entries into a resolved
        # state of every case: the flow of the open period.
        reported_resolved=(flows["resolved"] if whenever else figures.with_agreement(reported)),
        median_days_to_resolution=figures.median_days_to_resolution(
            selected, filters, flows["resolved"]),
        follow_ups_overdue=figures.follow_ups_overdue(at_end, end),
        **figures.awaiting(at_end, end),
        referrals=figures.referrals(at_end, end),
        **_relapse(kept_figures.follow_ups(scope) if whenever
                   else figures.follow_ups(selected, filters)),
        by_type=dict(figures.by_type(reported) if months is None
                     else kept_figures.by_type(scope, months)),
        participants=figures.summed(figures.participants(scope, selected, filters)),
        **(figures.teams(reported) if months is None else kept_figures.teams(scope, months)),
        parties={(sex, age): n for sex, age, n in (
            figures.parties(reported) if months is None else kept_figures.parties(scope, months))},
        months=(figures.months(reported, filters, everywhere=everywhere) if months is None
                else kept_figures.months(scope, months, figures.month_keys(filters))),
    )


def _relapse(per_commune) -> dict:
    return {"followed_agreements": sum(checked for _c, checked, _b in per_commune),
            "broken_agreements": sum(broken for _c, _ch, broken in per_commune)}


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | int | None
    unit: str = ""  # "%" (value already multiplied by 100) or "days"
    counts: str = ""  # which cases it counts: a key of figures.COUNTS

    @property
    def counted(self) -> str:
        return str(figures.COUNTS[self.counts]) if self.counts else ""


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def key_figures(d: Dashboard, people: PeopleCells | None = None) -> list[Figure]:
    """The headline figures, in the order the screen, the report and the exports show them,
    each with the cases it counts: reported in the period, open at its end, acted on in it.
    With `people` (the figures-only form), a share of participants is left out (a dash) when
    one of their counts is suppressed."""
    median = d.median_days_to_resolution
    shares = people is None or people.participants_exact
    reported, open_, acted = "reported", "open_at_end", "acted"
    return [
        Figure(_("Open cases"), d.open_total, counts=open_),
        Figure(_("New cases in the period"), d.reported, counts=reported),
        Figure(_("Resolved in the period"), d.flows["resolved"], counts=acted),
        Figure(_("Referred in the period"), d.flows["referred"], counts=acted),
        Figure(_("Closed in the period"), d.flows["closed"], counts=acted),
        Figure(_("Not admissible in the period"), d.flows["not_admissible"], counts=acted),
        Figure(_("Median days from report to agreement"),
               None if median is None else round(median, 1), "days", acted),
        Figure(_("Resolution rate (cases reported in the period with a signed agreement)"),
               _percent(d.resolution_rate), "%", reported),
        Figure(_("Open cases past their time limit"), d.past_sla, counts=open_),
        Figure(_("Follow-up visits overdue"), d.follow_ups_overdue, counts=open_),
        Figure(_("Proposals waiting for sign-offs"), d.pending_proposals, counts=open_),
        Figure(_("Agreements checked by a follow-up visit"), d.followed_agreements,
               counts=acted),
        Figure(_("Agreements found broken (relapse rate)"), _percent(d.relapse_rate), "%",
               acted),
        Figure(_("Women's share of participants in mediation steps"),
               _percent(d.women_share) if shares else None, "%", acted),
        Figure(_("Young people's share of participants in mediation steps"),
               _percent(d.youth_share) if shares else None, "%", acted),
        Figure(_("Cases whose team includes a woman"), d.teams_with_woman, counts=reported),
        Figure(_("Cases with a reconciliation team"), d.cases_with_team, counts=reported),
        Figure(_("Communes that took on their target of conflicts"), d.communes_meeting_target,
               counts=acted),
    ]


@dataclass(frozen=True)
class PeopleCells:
    """What the figures-only form (a donor's) shows of the counts of people and of the
    conflicts by type: the programme report's cells, each count under 3 suppressed, a second
    one masked beside a lone one, a total that would give one away shown as a least."""

    participants: dict[str, Cell]
    participant_total: Cell
    parties: dict[tuple[str, str], Cell]
    by_type: dict[str, Cell]
    by_type_total: Cell

    @property
    def participants_exact(self) -> bool:
        return all(cell.exact for cell in self.participants.values())


def _line(values: dict) -> tuple[dict, Cell]:
    [cells] = complement([[_cell(n, True) for n in values.values()]], [True] * len(values))
    return dict(zip(values, cells, strict=True)), _sum(cells)


def people_cells(d: Dashboard) -> PeopleCells:
    participants, participant_total = _line(d.participants)
    ages, sexes = list(AGE_GROUPS), list(SEXES)
    grid = complement([[_cell(d.parties.get((sex, age), 0), True) for sex in sexes]
                       for age in ages], [True] * len(sexes))
    by_type, by_type_total = _line({t: d.by_type.get(t, 0) for t in CONFLICT_TYPES})
    return PeopleCells(participants, participant_total,
                       {(sex, age): grid[i][j] for i, age in enumerate(ages)
                        for j, sex in enumerate(sexes)},
                       {t: cell for t, cell in by_type.items() if cell.value}, by_type_total)
