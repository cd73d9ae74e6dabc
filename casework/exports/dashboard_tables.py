"""The dashboard as tables: the same figures as the screen, one table per block."""
from __future__ import annotations

from flask_babel import gettext as _

from ..queries.dashboard import Dashboard, key_figures
from ..vocabulary import AGE_GROUPS, CONFLICT_TYPES, ROLES, SEXES, label
from ..workflow_registry import state_labels
from .files import Table


def dashboard_tables(d: Dashboard) -> list[Table]:
    states = state_labels()
    units = {"%": "%", "days": _("days")}
    p = d.participants
    return [
        Table(_("Key figures"), [_("Figure"), _("Value"), _("Unit"), _("Counts")],
              [[f.label, f.value, units.get(f.unit, ""), f.counted] for f in key_figures(d)]),
        Table(_("Open cases by commune and state"),
              [_("Commune"), *(states[s] for s in d.states), _("Total"), _("Past time limit")],
              [[row.commune.name, *(row.open_by_state.get(s, 0) for s in d.states),
                row.open_total, row.past_sla] for row in d.communes], sheet=_("Open cases")),
        Table(_("Communes against their plan"),
              [_("Commune"), _("Target"), _("Taken into mediation"), _("Resolved"),
               _("Target met")],
              [[row.commune.name, row.commune.case_target, row.mediated, row.resolved,
                _("yes") if row.target_met else _("no")] for row in d.communes]),
        Table(_("Conflicts by type"), [_("Type of conflict"), _("Cases")],
              [[label(CONFLICT_TYPES, t), n] for t, n in d.by_type.items()]),
        Table(_("Sign-offs awaited"), [_("Role"), _("Proposals")],
              [[label(ROLES, r), n] for r, n in d.awaiting_by_role.items()]),
        Table(_("Participants in mediation steps"),
              [_("Women"), _("Men"), _("Young women"), _("Young men"), _("Total")],
              [[p["women"], p["men"], p["young_women"], p["young_men"], d.participant_total]],
              sheet=_("Participants")),
        Table(_("Parties by sex and age group"),
              [_("Sex"), _("Age group"), _("Parties")],
              [[label(SEXES, sex), label(AGE_GROUPS, age), n]
               for (sex, age), n in sorted(d.parties.items())], sheet=_("Parties")),
        Table(_("Cases reported each month, by the state they are in now"),
              [_("Month"), *(states.values())],
              [[month, *(values.get(s, 0) for s in states)] for month, values in d.months.items()],
              sheet=_("Cases by month")),
    ]
