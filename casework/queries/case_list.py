"""The case list: the filtered, access-checked query and its pages."""
from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from .. import access
from ..extensions import db
from ..models import Case
from ..workflow import state_labels
from .filters import CaseFilters


def state_choices() -> list[tuple[str, str]]:
    return list(state_labels().items())


def matching(user, filters: CaseFilters):
    """The cases `user` may see that the filters select, newest first."""
    return (select(Case).where(*filters.case_conditions(access.commune_ids(user)))
            .order_by(Case.created_at.desc(), Case.id.desc()))


def search(user, filters: CaseFilters):
    return db.paginate(matching(user, filters), page=filters.page,
                       per_page=current_app.config["CASES_PER_PAGE"], error_out=False)
