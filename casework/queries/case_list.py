"""The case list: the filtered, access-checked query and its pages."""
from __future__ import annotations

from flask import current_app
from flask_sqlalchemy.pagination import SelectPagination
from sqlalchemy import func, select

from .. import access
from ..extensions import db
from ..models import Case
from ..workflow_registry import state_labels
from .filters import CaseFilters
from .worklist import SOURCES


def state_choices() -> list[tuple[str, str]]:
    return list(state_labels().items())


def matching(user, filters: CaseFilters):
    """The cases `user` may see that the filters select, newest first."""
    conditions = [access.UNMERGED, *filters.case_conditions(access.commune_ids(user))]
    if filters.waiting:
        conditions.append(SOURCES[filters.waiting].cases(user))
    return (select(Case).where(*conditions).order_by(Case.created_at.desc(), Case.id.desc()))


class CountedPagination(SelectPagination):
    """A page of cases and the number of them all, from one statement: a search reads the
    folded words of every case once, not once for the page and again for the count."""

    def _query_items(self) -> list:
        query = self._query_args["select"]
        total = (query.with_only_columns(func.count()).select_from(Case).order_by(None)
                 .scalar_subquery())
        rows = self._query_args["session"].execute(
            query.add_columns(total).limit(self.per_page).offset(self._query_offset)).all()
        self._total = rows[0][1] if rows else None
        return [row[0] for row in rows]

    def _query_count(self) -> int:
        return self._total if self._total is not None else super()._query_count()


def search(user, filters: CaseFilters):
    """A page of the matching cases; a page past the last one (an old link, a typed number)
    shows the last one."""
    query, per_page = matching(user, filters), current_app.config["CASES_PER_PAGE"]
    page = CountedPagination(select=query, session=db.session, page=filters.page,
                             per_page=per_page, error_out=False)
    if not page.items and filters.page > 1:
        total = db.session.scalar(select(func.count()).select_from(
            query.order_by(None).subquery()))
        last = max(1, -(-total // per_page))
        page = CountedPagination(select=query, session=db.session, page=last,
                                 per_page=per_page, error_out=False)
    return page
