"""The home page, 'Mon travail': what waits for the signed-in user."""
from flask import Blueprint, render_template
from flask_login import current_user, login_required

from ..queries.worklist import my_work

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index():
    work = my_work(current_user)
    # The menu shows the page's own total: counted once, they cannot disagree.
    return render_template("home/index.html", work=work, waiting_total=work.total)
