"""Administration: users and their roles, communes, loaded workflow versions."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from .. import access
from ..errors import NotPermitted

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def _administrators_only():
    if not access.can(current_user, "administer"):
        raise NotPermitted(_l("Only an administrator can open this page."))
