"""Exports of the case list and of the dashboard, as CSV or XLSX, with the screen's filters
and access rules; every export is written to the event log."""
from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy import func, select

from .. import access
from ..clock import local_today
from ..errors import NotPermitted
from ..exports.case_table import case_table
from ..exports.coverage import coverage_table
from ..exports.dashboard_tables import dashboard_tables
from ..exports.files import FORMATS, render
from ..exports.mechanism_tables import mechanism_tables
from ..exports.referral_tables import referral_list, referral_tables
from ..extensions import db
from ..queries import case_list, dashboard, mechanism_figures, referral_figures
from ..queries.filters import CaseFilters
from ..services import audit

bp = Blueprint("exports", __name__, url_prefix="/exports")


@bp.before_request
@login_required
def _signed_in():
    return None


def _file(fmt: str, name: str, tables, coverage) -> Response:
    """The tables as a file; what they cover as a last table of a workbook or of a CSV of
    several tables (a CSV of one table stays one table, for the tools that read it)."""
    if fmt == "xlsx" or len(tables) > 1:
        tables = [*tables, coverage]
    body = render(fmt, tables, str(get_locale() or "fr"))
    response = current_app.response_class(body, mimetype=FORMATS[fmt])
    response.headers["Content-Disposition"] = (
        f'attachment; filename="palabre-{name}-{local_today().isoformat()}.{fmt}"')
    response.headers["Cache-Control"] = "no-store"
    return response


def _format(fmt: str) -> str:
    if fmt not in FORMATS:
        abort(404)
    return fmt


@bp.get("/cases.<fmt>")
def cases(fmt):
    fmt = _format(fmt)
    if not access.can(current_user, "browse"):
        raise NotPermitted(_l("You have no case to export."))
    filters = CaseFilters.from_args(request.args)
    query = case_list.matching(current_user, filters)
    limit = current_app.config["EXPORT_MAX_ROWS"]
    count = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    if count > limit:
        flash(_("%(count)d cases match these filters: an export holds at most %(limit)d. "
                "Narrow the filters (a commune, a period), then export again.",
                count=count, limit=limit), "error")
        return redirect(url_for("cases.index", **filters.query_args()))
    # The parties' names only when asked for by name (`names=1`), for the programme's staff.
    names = request.args.get("names") == "1"
    table = case_table(query, _("Cases"), names=names)
    communes = access.communes_in(filters.scope(access.commune_ids(current_user)))
    response = _file(fmt, _("cases"), [table], coverage_table(
        communes, filters, [table], [_("Parties' names"), _("yes") if names else _("no")]))
    audit.exported("cases", current_user, format=fmt, filters=filters.as_record(),
                   rows=len(table.rows), names=names)
    return response


@bp.get("/dashboard.<fmt>")
def dashboard_file(fmt):
    fmt = _format(fmt)
    if not access.can(current_user, "view_dashboard"):
        raise NotPermitted(_l("The dashboard is for coordinators, mayors and traditional "
                              "leaders."))
    filters = CaseFilters.from_args(request.args).but(q="")
    d = dashboard.build(access.dashboard_communes(current_user), filters)
    referrals = referral_figures.for_dashboard(access.dashboard_communes(current_user), filters)
    tables = [*dashboard_tables(d), *referral_tables(referrals)]
    communes = [row.commune for row in d.communes]
    response = _file(fmt, _("dashboard"), tables, coverage_table(communes, filters, tables))
    audit.exported("dashboard", current_user, format=fmt, filters=filters.as_record(),
                   rows=sum(len(t.rows) for t in tables), cases=d.reported)
    return response


@bp.get("/referrals.<fmt>")
def referrals(fmt):
    """The referrals sent in the period one a row, for the coordination: the case export's
    access and filters, no name (exports/referral_tables.py)."""
    fmt = _format(fmt)
    if not access.can(current_user, "browse"):
        raise NotPermitted(_l("You have no case to export."))
    filters = CaseFilters.from_args(request.args)
    conditions = [access.UNMERGED, *filters.case_conditions(access.commune_ids(current_user),
                                                            reported_in_period=False)]
    limit = current_app.config["EXPORT_MAX_ROWS"]
    rows = referral_figures.rows(conditions, filters, limit=limit + 1)
    if len(rows) > limit:
        flash(_("More than %(limit)d referrals match these filters. Narrow the filters (a "
                "commune, a period), then export again.", limit=limit), "error")
        return redirect(url_for("cases.index", **filters.query_args()))
    table = referral_list(rows)
    communes = access.communes_in(filters.scope(access.commune_ids(current_user)))
    response = _file(fmt, _("referrals"), [table], coverage_table(
        communes, filters, [table], [_("What the period filters"),
                                     _("The day the referral was sent")]))
    audit.exported("referrals", current_user, format=fmt, filters=filters.as_record(),
                   rows=len(table.rows))
    return response


@bp.get("/mechanisms.<fmt>")
def mechanisms_file(fmt):
    fmt = _format(fmt)
    if not access.can(current_user, "view_dashboard"):
        raise NotPermitted(_l("The dashboard is for coordinators, mayors and traditional "
                              "leaders."))
    filters = mechanism_figures.filters_from(request.args)
    figures = mechanism_figures.build(access.dashboard_communes(current_user), filters)
    tables = mechanism_tables(figures)
    coverage = coverage_table([row.commune for row in figures.rows], filters, tables,
                              [_("What the period filters"), str(mechanism_figures.PERIOD_NOTE)])
    response = _file(fmt, _("mechanisms"), tables, coverage)
    audit.exported("mechanisms", current_user, format=fmt, filters=filters.as_record(),
                   rows=sum(len(t.rows) for t in tables), communes=len(figures.rows))
    return response
