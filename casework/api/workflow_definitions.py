"""/api/v1/workflows: the workflow definitions the engine loaded, as JSON."""
from __future__ import annotations

from ..workflow_registry import engine
from . import present
from .blueprint import Blueprint
from .outputs import WorkflowOut

bp = Blueprint("api_workflows", __name__, url_prefix="/api/v1/workflows",
               description="Workflow definitions: states, transitions, who fires them.")


@bp.get("")
@bp.response(200, WorkflowOut(many=True))
def index():
    """Every version of every workflow (cases keep the version they started on)."""
    return [present.workflow(definition) for definition in engine().workflows()]
