"""The case list: filters from the URL, access-filtered query, pagination."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from .. import access
from ..extensions import db
from ..i18n import locale_code
from ..models import Case
from ..vocabulary import CONFLICT_TYPES
from ..workflow import engine


@dataclass
class CaseFilters:
    commune_id: int | None = None
    status: str | None = None
    conflict_type: str | None = None
    page: int = 1

    @classmethod
    def from_args(cls, args) -> "CaseFilters":
        """Read filters from a query string; a malformed value is ignored, never a 500."""
        def integer(name, default=None, minimum=1):
            value = args.get(name, "")
            return int(value) if value.isdigit() and int(value) >= minimum else default
        status = args.get("status") or None
        conflict_type = args.get("type") or None
        return cls(commune_id=integer("commune"),
                   status=status if status in _all_states() else None,
                   conflict_type=conflict_type if conflict_type in CONFLICT_TYPES else None,
                   page=integer("page", 1))

    def query_args(self, **changes) -> dict:
        values = {"commune": self.commune_id, "status": self.status,
                  "type": self.conflict_type, "page": self.page if self.page > 1 else None}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}


def _all_states() -> dict[str, str]:
    """Every state of every loaded workflow, with its label in the current language."""
    locale = locale_code()
    states: dict[str, str] = {}
    for workflow in engine().workflows():
        for name, state in workflow.states.items():
            states.setdefault(name, state.label(locale))
    return states


def state_choices() -> list[tuple[str, str]]:
    return list(_all_states().items())


def search(user, filters: CaseFilters):
    query = access.visible_cases(user)
    if filters.commune_id:
        query = query.where(Case.commune_id == filters.commune_id)
    if filters.status:
        query = query.where(Case.status == filters.status)
    if filters.conflict_type:
        query = query.where(Case.conflict_type == filters.conflict_type)
    query = query.order_by(Case.created_at.desc(), Case.id.desc())
    return db.paginate(query, page=filters.page, per_page=current_app.config["CASES_PER_PAGE"],
                       error_out=False)

