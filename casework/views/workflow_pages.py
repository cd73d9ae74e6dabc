"""Each workflow version drawn from its definition, for everyone who signs in."""
from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_login import login_required

from ..i18n import locale_code
from ..workflow_diagrams import describe, drawing, legend
from ..workflow_registry import engine

bp = Blueprint("workflows", __name__, url_prefix="/workflows")


@bp.get("/<name>/v<int:version>")
@login_required
def show(name: str, version: int):
    try:
        workflow = engine().get(name, version)
    except KeyError:
        abort(404)
    locale = locale_code()
    return render_template("workflows/show.html", workflow=workflow,
                           diagram=drawing(workflow, locale),
                           description=describe(workflow, locale), legend=legend(workflow, locale))
