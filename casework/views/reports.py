"""The programme report (/reports/programme): every indicator of the logframe per commune and
in total, against its target and baseline, as a page, an XLSX file and a PDF; stripped of
names, for the coordination and the donors (access: `view_programme_report`)."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access, logframe
from ..charts import bars
from ..clock import local_today
from ..documents.programme import programme_pdf
from ..errors import NotPermitted
from ..exports.files import FORMATS, to_xlsx
from ..exports.programme_tables import language, programme_tables
from ..queries import programme_report
from ..queries.figures import COUNTS
from ..queries.filters import CaseFilters
from ..queries.programme import Scope
from ..services import audit

bp = Blueprint("reports", __name__, url_prefix="/reports")

DEFAULT_DAYS = 365  # the period shown when none is chosen: the last twelve months


@bp.before_request
@login_required
def _allowed():
    if not access.can(current_user, "view_programme_report"):
        raise NotPermitted(_l("The programme report is for the coordination and the donors."))


def _scope() -> tuple[Scope, CaseFilters, int | None]:
    """The communes (the user's, narrowed to one), the period (the last twelve months when
    none is given) and the partner the query string asks for."""
    filters = CaseFilters.from_args(request.args)
    if not (filters.date_from or filters.date_to):
        today = local_today()
        filters = filters.but(date_from=today - timedelta(days=DEFAULT_DAYS - 1), date_to=today)
    partner = request.args.get("partner", "")
    partner_id = int(partner) if partner.isascii() and partner.isdigit() and len(partner) < 10 \
        else None
    known = {p.id for p in programme_report.partners()}
    partner_id = partner_id if partner_id in known else None
    scope = Scope(frozenset(filters.scope(access.report_communes(current_user))),
                  filters.date_from, filters.date_to, partner_id)
    return scope, filters, partner_id


def _build():
    scope, filters, partner_id = _scope()
    return programme_report.build(logframe.current(), scope), filters, partner_id


def _chart(section):
    """The value of an indicator per commune, the suppressed ones left out of the drawing."""
    return bars([(row.name, row.value.value, "s-type") for row in section.rows
                 if row.value.exact],
                description=section.indicator.text("label", language()))


def _record(fmt: str, report) -> None:
    audit.exported("programme_report", current_user, format=fmt,
                   communes=sorted(report.scope.commune_ids),
                   date_from=report.date_from and report.date_from.isoformat(),
                   date_to=report.date_to and report.date_to.isoformat(),
                   partner_id=report.scope.partner_id)


def _file(body: bytes, fmt: str, mimetype: str):
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="palabre-{_("programme-report")}-{local_today().isoformat()}.{fmt}"')
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/programme")
def programme():
    report, filters, partner_id = _build()
    return render_template(
        "reports/programme.html", report=report, filters=filters, partner_id=partner_id,
        partners=programme_report.partners(), lang=language(),
        communes=access.communes_in(access.report_communes(current_user)),
        charts={s.indicator.code: _chart(s) for s in report.sections}, counts=COUNTS,
        note=programme_report.SUPPRESSION_NOTE)


@bp.get("/programme.xlsx")
def programme_xlsx():
    """One sheet per indicator, after one that says what the file covers."""
    report, _filters, _partner = _build()
    response = _file(to_xlsx(programme_tables(report)), "xlsx", FORMATS["xlsx"])
    _record("xlsx", report)
    return response


@bp.get("/programme.pdf")
def programme_pdf_file():
    report, _filters, _partner = _build()
    response = _file(programme_pdf(report, language()), "pdf", "application/pdf")
    _record("pdf", report)
    return response
