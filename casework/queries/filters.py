"""The filters of the case list, the dashboard and their exports, read from the URL.

One object serves all three, so that a dashboard cell, the list it links to and the file
exported from either select exactly the same cases.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import column, select, table

from ..access import in_communes
from ..clock import day_start
from ..extensions import db
from ..models import Case, CaseSearch
from ..textsearch import TRIGRAM_INDEX, words
from ..vocabulary import CONFLICT_TYPES
from ..workflow_registry import state_labels
from .worklist import SOURCES

# Dates a filter may name: far enough either side of any case, near enough for the date
# arithmetic of a period (a day after 31/12/9999 does not exist).
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)


@dataclass(frozen=True)
class CaseFilters:
    commune_id: int | None = None
    status: str | None = None
    conflict_type: str | None = None
    # The period, in Bamako days, both ends included.
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""
    # One kind of "Mon travail" (a source of queries/worklist.py): the cases waiting for it.
    waiting: str | None = None
    errors: tuple = field(default=(), compare=False)

    @classmethod
    def from_args(cls, args) -> "CaseFilters":
        """Read filters from a query string; a malformed value is left out and said, never a 500."""
        errors = []

        def integer(name, default=None):
            value = args.get(name, "")  # ASCII digits only: "²".isdigit() too, but not int()
            plain = value.isascii() and value.isdigit() and len(value) <= 10
            return int(value) if plain and 0 < int(value) < 2**31 else default

        def day(name):
            value = args.get(name, "").strip()
            if not value:
                return None
            try:  # a date field sends 2026-11-29; a phone without one lets people type 29/11/2026
                if "/" in value:
                    day_, month, year = value.split("/")
                    found = date(int(year), int(month), int(day_))
                else:
                    found = date.fromisoformat(value)
            except ValueError:
                errors.append(_l("This date is not valid: %(value)s (expected dd/mm/yyyy).",
                                 value=value[:20]))
                return None
            if not FIRST_DAY <= found <= LAST_DAY:
                errors.append(_l("This date is out of range: %(value)s (from 2000 to 2099).",
                                 value=value[:20]))
                return None
            return found

        waiting = args.get("waiting") or None
        if waiting not in SOURCES or SOURCES[waiting].cases is None:
            waiting = None
        status = args.get("status") or None
        conflict_type = args.get("type") or None
        date_from, date_to = day("from"), day("to")
        if date_from and date_to and date_from > date_to:
            errors.append(_l("The period ends before it starts: the dates were swapped."))
            date_from, date_to = date_to, date_from
        return cls(commune_id=integer("commune"),
                   status=status if status in state_labels() else None,
                   conflict_type=conflict_type if conflict_type in CONFLICT_TYPES else None,
                   date_from=date_from, date_to=date_to, q=args.get("q", "").strip()[:100],
                   waiting=waiting, errors=tuple(errors))

    def query_args(self, **changes) -> dict:
        """The filters as URL parameters (for url_for), without the empty ones."""
        values = {"commune": self.commune_id, "status": self.status, "type": self.conflict_type,
                  "from": self.date_from and self.date_from.isoformat(),
                  "to": self.date_to and self.date_to.isoformat(), "q": self.q,
                  "waiting": self.waiting}
        values.update(changes)
        return {k: v for k, v in values.items() if v not in (None, "")}

    def but(self, **changes) -> "CaseFilters":
        return replace(self, **changes)

    def as_record(self) -> dict:
        """What the event log keeps of the filters of an export."""
        values = asdict(self)
        values.pop("errors")
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in values.items()
                if v not in (None, "")}

    # -- as SQL ----------------------------------------------------------------------------

    def period(self):
        """(start, end) of the period as UTC instants, end excluded; None where open."""
        start = day_start(self.date_from) if self.date_from else None
        end = day_start(self.date_to + timedelta(days=1)) if self.date_to else None
        return start, end

    def during(self, column) -> list:
        """Conditions keeping the rows whose timestamp `column` falls in the period."""
        start, end = self.period()
        return [c for c in (start and column >= start, end and column < end) if c is not None]

    def during_days(self, column) -> list:
        """The same for a `date` column (a visit, a step)."""
        return [c for c in (self.date_from and column >= self.date_from,
                            self.date_to and column <= self.date_to) if c is not None]

    def whole_months(self) -> tuple[str | None, str | None] | None:
        """The period as its first and last month ('2026-11'), each None where open; None
        when an end falls inside a month."""
        start, end = self.date_from, self.date_to
        if start and start.day != 1:
            return None
        if end and (end + timedelta(days=1)).day != 1:
            return None
        return (start and start.strftime("%Y-%m"), end and end.strftime("%Y-%m"))

    @property
    def selects_cases(self) -> bool:
        """Whether a filter picks cases by what they are (state, type, words)."""
        return bool(self.status or self.conflict_type or words(self.q))

    def scope(self, commune_ids) -> set[int]:
        """The communes looked at: the user's, narrowed to the chosen one."""
        ids = set(commune_ids)
        return ids & {self.commune_id} if self.commune_id else ids

    def case_conditions(self, commune_ids, *, reported_in_period: bool = True) -> list:
        """WHERE conditions on Case for these filters within `commune_ids` (the user's)."""
        conditions = in_communes(Case.commune_id, self.scope(commune_ids))
        if self.status:
            conditions.append(Case.status == self.status)
        if self.conflict_type:
            conditions.append(Case.conflict_type == self.conflict_type)
        if reported_in_period:
            conditions += self.during(Case.created_at)
        if words(self.q):
            # Read once per statement, however often the statement refers to it (the list
            # counts its cases and shows a page of them in one go).
            hits = search_hits(words(self.q)).cte("search_hits").prefix_with("MATERIALIZED")
            conditions.append(Case.id.in_(select(hits.c.case_id)))
        return conditions


# SQLite's trigram index of case_search (an FTS5 table over it, migration 5d1e7f3a9c42);
# PostgreSQL's is a GIN index on case_search.text, which its planner finds by itself.
TRIGRAMS = table(TRIGRAM_INDEX, column("rowid"), column("text"))


def search_hits(found: list[str]):
    """The ids of the cases whose folded text holds every word: each checked on case_search
    itself, the trigram index only narrowing where to look (it serves words of 3 letters or
    more). Folded words hold no LIKE wildcard (textsearch.words)."""
    query = select(CaseSearch.case_id).where(*(CaseSearch.text.like(f"%{w}%") for w in found))
    long_words = [w for w in found if len(w) >= 3]
    if long_words and db.session.get_bind().dialect.name == "sqlite":
        query = query.where(CaseSearch.case_id.in_(
            select(TRIGRAMS.c.rowid).where(*(TRIGRAMS.c.text.like(f"%{w}%")
                                             for w in long_words))))
    return query
