"""The dashboard and the monthly report: coordinators for their communes, mayors and
traditional leaders for their own."""
from __future__ import annotations

import calendar
from datetime import date
from itertools import dropwhile

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access
from ..charts import bars, stacked_columns
from ..clock import local_today
from ..errors import NotPermitted
from ..queries import dashboard, mechanism_figures, referral_cells, referral_figures
from ..queries.case_list import state_choices
from ..queries.figures import month_keys
from ..queries.filters import FIRST_DAY, LAST_DAY, CaseFilters
from ..queries.programme_report import SUPPRESSION_NOTE
from ..services import audit
from ..vocabulary import CONFLICT_TYPES, label
from ..workflow_registry import state_labels

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")


@bp.before_request
@login_required
def _allowed():
    if not access.can(current_user, "view_dashboard"):
        raise NotPermitted(_l("The dashboard is for coordinators, mayors and traditional "
                              "leaders."))


def communes() -> list:
    return access.communes_in(access.dashboard_communes(current_user))


def charts_for(d: dashboard.Dashboard) -> dict:
    """Cases per month by state, conflicts by type, participants by sex and age."""
    states = state_labels()
    p = d.participants
    shown = {state for counts in d.months.values() for state in counts}
    types = [(label(CONFLICT_TYPES, t), n) for t, n in d.by_type.items()]
    people = [(_("Women"), p["women"]), (_("Young women"), p["young_women"]),
              (_("Men"), p["men"]), (_("Young men"), p["young_men"])]
    return {
        "types_rows": types,
        "participant_rows": people,
        "legend": [(f"s-{s}", name) for s, name in states.items() if s in shown],
        "months": stacked_columns(
            [(f"{m[5:]}/{m[2:4]}", d.months.get(m, {}))  # months before the first case: none
             for m in dropwhile(lambda m: m not in d.months, month_keys(d.filters))],
            [(s, states[s], f"s-{s}") for s in states],
            description=_("Cases reported each month, by the state they are in now")),
        "types": bars([(name, n, "s-type") for name, n in types],
                      description=_("Conflicts by type")),
        "participants": bars([(name, n, css) for (name, n), css in
                              zip(people, ("p-women", "p-women", "p-men", "p-men"), strict=True)],
                             description=_("Participants in mediation steps by sex and age")),
    }


def _shown(d: dashboard.Dashboard) -> dict:
    """The figures and what else the templates need: for a donor (`access.figures_only`), the
    figures-only form, with the counts of people suppressed and no case linked or named."""
    people = dashboard.people_cells(d) if access.figures_only(current_user) else None
    shown = {"d": d, "figures": dashboard.key_figures(d, people), "people": people,
             "figures_only": people is not None, "communes": communes()}
    if people is not None:
        p = people.participants
        shown.update(
            note=SUPPRESSION_NOTE,
            type_rows=[(label(CONFLICT_TYPES, t), cell) for t, cell in people.by_type.items()],
            people_rows=[(_("Women"), p["women"]), (_("Young women"), p["young_women"]),
                         (_("Men"), p["men"]), (_("Young men"), p["young_men"])])
    return shown


def _filters(args) -> CaseFilters:
    """The dashboard's filters; no words, and for a donor no state nor type either (a small
    count of one type in one commune would say too much)."""
    filters = CaseFilters.from_args(args).but(q="")
    if access.figures_only(current_user):
        filters = filters.but(status=None, conflict_type=None)
    return filters


@bp.get("")
def index():
    filters = _filters(request.args)
    d = dashboard.build(access.dashboard_communes(current_user), filters)
    return render_template("dashboard/index.html", filters=filters, charts=charts_for(d),
                           states=state_choices(), **_shown(d), **_referrals(filters))


def _referrals(filters: CaseFilters) -> dict:
    """The referrals counted (queries/referral_figures.py); for a donor, the people referred
    with their small counts suppressed."""
    figures_only = access.figures_only(current_user)
    rf = referral_figures.for_dashboard(access.dashboard_communes(current_user), filters,
                                        figures_only=figures_only)
    cells = referral_cells.people_cells(rf) if figures_only else None
    return {"rf": rf, "rf_cells": cells}


def _month(value: str) -> date:
    """The first day of a month given as 2026-10 (a month field) or 10/2026 (typed where a
    phone has no month field); this month when missing, and said when malformed."""
    value = value.strip()
    try:
        if "/" in value:
            month, year = (int(part) for part in value.split("/"))
        else:
            year, month = (int(part) for part in value.split("-"))
        if not FIRST_DAY.year <= year <= LAST_DAY.year:
            raise ValueError(value)
        return date(year, month, 1)
    except ValueError:
        if value:
            flash(_("This month is not valid: %(value)s (expected mm/yyyy).", value=value[:20]),
                  "error")
        return local_today().replace(day=1)


@bp.get("/monthly")
def monthly():
    first = _month(request.args.get("month", ""))
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    base = CaseFilters.from_args({"commune": request.args.get("commune", "")})
    filters = CaseFilters(commune_id=base.commune_id, date_from=first, date_to=last)
    d = dashboard.build(access.dashboard_communes(current_user), filters)
    page = render_template("dashboard/monthly.html", filters=filters, month=first, **_shown(d))
    audit.exported("monthly_report", current_user, month=first.strftime("%Y-%m"),
                   filters=filters.as_record(), rows=d.reported)
    return page


@bp.get("/mechanisms")
def mechanisms():
    """Per commune: plan progress, budget, people reached by sex and age, the latest FFOM."""
    filters = mechanism_figures.filters_from(request.args)
    figures = mechanism_figures.build(access.dashboard_communes(current_user), filters)
    return render_template("dashboard/mechanisms.html", figures=figures, filters=filters,
                           communes=communes(), period_note=mechanism_figures.PERIOD_NOTE)
