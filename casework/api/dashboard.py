"""/api/v1/dashboard: the dashboard's figures for the caller's communes (coordinators, mayors
and traditional leaders), with its filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from .. import access
from ..errors import InvalidInput, NotPermitted
from ..queries import dashboard
from ..queries.filters import CaseFilters
from ..workflow_registry import state_labels
from . import auth, present
from .blueprint import Blueprint
from .outputs import DashboardOut
from .request_schemas import DashboardQuery

bp = Blueprint("api_dashboard", __name__, url_prefix="/api/v1/dashboard",
               description="The programme's figures, as on the dashboard.")


@bp.get("")
@bp.arguments(DashboardQuery, location="query")
@bp.response(200, DashboardOut)
def index(query):
    """The headline figures and each commune's, for the cases the filters select."""
    user = auth.user()
    if not access.can(user, "view_dashboard"):
        raise NotPermitted(_l("The dashboard is for coordinators, mayors and traditional "
                              "leaders."))
    state = query.get("state")
    if state is not None and state not in state_labels():
        raise InvalidInput(_l("Choose one of the states of the workflows."), field="state")
    start, end = query.get("date_from"), query.get("date_to")
    if start and end and start > end:
        raise InvalidInput(_l("The period ends before it starts."), field="to")
    filters = CaseFilters(commune_id=query.get("commune"), status=state,
                          conflict_type=query.get("type"), date_from=start, date_to=end)
    d = dashboard.build(access.dashboard_communes(user), filters)
    return {
        "figures": [{"label": f.label, "value": f.value, "unit": f.unit, "counts": f.counts}
                    for f in dashboard.key_figures(d)],
        "communes": [{"commune": present.commune(row.commune), "open_by_state": row.open_by_state,
                      "open_total": row.open_total, "past_sla": row.past_sla,
                      "mediated": row.mediated, "resolved": row.resolved,
                      "case_target": row.commune.case_target} for row in d.communes],
        "open_by_state": d.open_by_state, "flows": d.flows, "by_type": d.by_type,
        "participants": d.participants,
    }
