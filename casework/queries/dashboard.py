"""The programme at a glance: the dashboard and the monthly report, built from figures.py.

Two kinds of figures:

- about the cases *reported in the period* (open cases, past their time limit, types,
  parties, teams, resolution rate): the same cases as the case list with the same filters;
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
from ..workflow_registry import open_states
from . import figures
from .filters import CaseFilters

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
    rows = {c.id: CommuneRow(c) for c in communes_in(scope)}
    for commune_id, status, count, late in figures.open_cases(reported):
        rows[commune_id].open_by_state[status] = count
        rows[commune_id].past_sla += late
    for commune_id, tag, count in figures.plan_progress(selected, filters):
        setattr(rows[commune_id],
                "mediated" if tag == "in_mediation" else "resolved", count)
    flows = figures.flows(selected, filters)
    count, resolved = figures.resolution(reported)
    everywhere = not in_communes(Case.commune_id, scope)
    return Dashboard(
        filters=filters, states=open_states(), communes=list(rows.values()),
        flows=flows, reported=count, reported_resolved=resolved,
        median_days_to_resolution=figures.median_days_to_resolution(
            selected, filters, flows["resolved"]),
        follow_ups_overdue=figures.follow_ups_overdue(reported),
        **figures.awaiting(reported),
        **figures.relapse(selected, filters),
        by_type=figures.by_type(reported),
        participants=figures.participants(scope, selected, filters),
        **figures.teams(reported),
        parties=figures.parties(reported),
        months=figures.months(reported, filters, everywhere=everywhere),
    )


@dataclass(frozen=True)
class Figure:
    label: str
    value: float | int | None
    unit: str = ""  # "%" (value already multiplied by 100) or "days"


def _percent(rate):
    return None if rate is None else round(rate * 100, 1)


def key_figures(d: Dashboard) -> list[Figure]:
    """The headline figures, in the order the screen, the report and the exports show them."""
    median = d.median_days_to_resolution
    return [
        Figure(_("Open cases"), d.open_total),
        Figure(_("New cases in the period"), d.reported),
        Figure(_("Resolved in the period"), d.flows["resolved"]),
        Figure(_("Referred in the period"), d.flows["referred"]),
        Figure(_("Closed in the period"), d.flows["closed"]),
        Figure(_("Not admissible in the period"), d.flows["not_admissible"]),
        Figure(_("Median days from report to agreement"),
               None if median is None else round(median, 1), "days"),
        Figure(_("Resolution rate (cases reported in the period with a signed agreement)"),
               _percent(d.resolution_rate), "%"),
        Figure(_("Open cases past their time limit"), d.past_sla),
        Figure(_("Follow-up visits overdue"), d.follow_ups_overdue),
        Figure(_("Proposals waiting for sign-offs"), d.pending_proposals),
        Figure(_("Agreements checked by a follow-up visit"), d.followed_agreements),
        Figure(_("Agreements found broken (relapse rate)"), _percent(d.relapse_rate), "%"),
        Figure(_("Women's share of participants in mediation steps"),
               _percent(d.women_share), "%"),
        Figure(_("Young people's share of participants in mediation steps"),
               _percent(d.youth_share), "%"),
        Figure(_("Cases whose team includes a woman"), d.teams_with_woman),
        Figure(_("Cases with a reconciliation team"), d.cases_with_team),
        Figure(_("Communes that took on their target of conflicts"), d.communes_meeting_target),
    ]
