"""The case list: the filtered, access-checked query and its pages.

Pages are read by keyset, not by OFFSET: a page starts after (or ends before) the last case
of the page seen, named by its sort key (`created_at`, `id`) in the URL, so the thousandth
page costs what the first does, and a case reported meanwhile neither repeats nor hides one.
The access conditions are those of `matching` on every page: a cursor only says where to start
among the cases the user may see.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import load_only, raiseload

from .. import access
from ..clock import utcnow
from ..extensions import db
from ..i18n import locale_code, translations
from ..models import Case
from ..vocabulary import CONFLICT_TYPES, label
from ..workflow_registry import state_labels, workflow_of
from .filters import CaseFilters
from .worklist import SOURCES

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# "<microseconds since 1970 UTC>.<id>": the sort key of a case, readable and short.
CURSOR = re.compile(r"(\d{1,16})\.(\d{1,10})")
# A cursor naming an instant outside these is no case's: 2000 to 2099, as a filter's dates.
EARLIEST, LATEST = datetime(2000, 1, 1, tzinfo=timezone.utc), datetime(2100, 1, 1,
                                                                        tzinfo=timezone.utc)


class BadCursor(ValueError):
    """A cursor that is not one this list wrote."""


@dataclass(frozen=True)
class Key:
    """Where a case sorts in the list: newest first, the higher id first among equals."""
    created_at: datetime
    id: int

    @classmethod
    def of(cls, case: Case) -> "Key":
        return cls(case.created_at, case.id)

    @classmethod
    def parse(cls, text: str) -> "Key":
        found = CURSOR.fullmatch(text or "")
        if not found:
            raise BadCursor(text)
        micros, case_id = (int(part) for part in found.groups())
        moment = EPOCH + timedelta(microseconds=micros)
        if not (EARLIEST <= moment < LATEST and 0 < case_id < 2**31):
            raise BadCursor(text)
        return cls(moment, case_id)

    def __str__(self) -> str:
        delta = self.created_at - EPOCH
        micros = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
        return f"{micros}.{self.id}"

    # -- as SQL: the range bound on created_at lets both databases read the index from there

    def listed_after(self):
        """The cases that come after this key in the list (older)."""
        return and_(Case.created_at <= self.created_at,
                    or_(Case.created_at < self.created_at, Case.id < self.id))

    def listed_before(self):
        """The cases that come before this key in the list (newer)."""
        return and_(Case.created_at >= self.created_at,
                    or_(Case.created_at > self.created_at, Case.id > self.id))

    def listed_from(self):
        """The cases after this key, and the one it names."""
        return and_(Case.created_at <= self.created_at,
                    or_(Case.created_at < self.created_at, Case.id <= self.id))

    def listed_up_to(self):
        """The cases before this key, and the one it names."""
        return and_(Case.created_at >= self.created_at,
                    or_(Case.created_at > self.created_at, Case.id >= self.id))


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: after a key (forward), before one (backward), or at the end
    (`before` with no key: the last page)."""
    after: Key | None = None
    before: Key | None = None
    last: bool = False

    @classmethod
    def from_args(cls, args) -> "Cursor":
        """`?after=` or `?before=` (`?before=end`: the last page); BadCursor when malformed."""
        after, before = args.get("after"), args.get("before")
        if after is not None and before is not None:
            raise BadCursor("after and before")
        if before == "end":
            return cls(last=True)
        if after is not None:
            return cls(after=Key.parse(after))
        if before is not None:
            return cls(before=Key.parse(before))
        return cls()

    @property
    def backward(self) -> bool:
        return self.before is not None or self.last


@dataclass(frozen=True)
class Page:
    """A page of cases, how many match in all, and whether others come before or after it.

    Where the page stands (its first case's rank) is not counted: counting the cases before
    the thousandth page reads them all, which is what the keyset spares; `number` is known
    only for a page asked by number (the API's, for the tools written before the cursors)."""
    items: list
    total: int
    has_prev: bool
    has_next: bool
    per_page: int
    number: int | None = None

    @property
    def next_after(self) -> str | None:
        return str(Key.of(self.items[-1])) if self.has_next and self.items else None

    @property
    def prev_before(self) -> str | None:
        return str(Key.of(self.items[0])) if self.has_prev and self.items else None

    @property
    def pages(self) -> int:
        return -(-self.total // self.per_page)


def state_choices() -> list[tuple[str, str]]:
    return list(state_labels().items())


def matching(user, filters: CaseFilters):
    """The cases `user` may see that the filters select, newest first."""
    conditions = [access.UNMERGED, *filters.case_conditions(access.commune_ids(user))]
    if filters.waiting:
        conditions.append(SOURCES[filters.waiting].cases(user))
    return (select(Case).where(*conditions).order_by(Case.created_at.desc(), Case.id.desc()))


def _count(query, *conditions):
    return (query.with_only_columns(func.count()).select_from(Case).where(*conditions)
            .order_by(None).scalar_subquery())


def _any(query, condition):
    """Whether a case of `query` meets `condition`: stops at the first one found."""
    return query.where(condition).order_by(None).exists()


def _read(query, cursor: Cursor, per_page: int) -> Page | None:
    """One statement: the page's cases (one more, to know whether more follow), the count of
    all, and whether any comes on the other side of the cursor; None when the page is empty."""
    statement, other_side = query, None
    if cursor.after:
        statement = query.where(cursor.after.listed_after())
        other_side = _any(query, cursor.after.listed_up_to())
    elif cursor.backward:
        if cursor.before:
            statement = query.where(cursor.before.listed_before())
            other_side = _any(query, cursor.before.listed_from())
        statement = statement.order_by(None).order_by(Case.created_at.asc(), Case.id.asc())
    extra = [_count(query)] + ([other_side.label("other_side")] if other_side is not None
                               else [])
    rows = db.session.execute(statement.add_columns(*extra).limit(per_page + 1)).all()
    if not rows:
        return None
    items, more = [row[0] for row in rows[:per_page]], len(rows) > per_page
    total, beyond = rows[0][1], bool(rows[0][2]) if other_side is not None else False
    if cursor.backward:
        items.reverse()
        return Page(items=items, total=total, has_prev=more, has_next=beyond,
                    per_page=per_page)
    return Page(items=items, total=total, has_prev=beyond, has_next=more, per_page=per_page,
                number=None if cursor.after else 1)


def read_page(query, cursor: Cursor, per_page: int, *, past_the_end: bool = True) -> Page:
    """The page `cursor` names of `query` (an access-checked `matching`, maybe narrowed).

    One statement for any page. A cursor past either end (an old link: the cases after it
    were closed to the user, merged, or it was typed) shows the last page, or the first; with
    `past_the_end=False` (a program walking the pages), an empty page that ends the walk."""
    page = _read(query, cursor, per_page)
    if page is None and cursor != Cursor():
        if past_the_end:
            page = _read(query, Cursor(last=True) if cursor.after else Cursor(), per_page)
        else:
            return Page(items=[], total=db.session.scalar(select(_count(query))),
                        has_prev=False, has_next=False, per_page=per_page)
    return page or Page(items=[], total=0, has_prev=False, has_next=False, per_page=per_page,
                        number=1)


def numbered(query, number: int, per_page: int) -> Page:
    """Page `number` by OFFSET, for the API's clients written before the cursors (a page past
    the last is empty, as it always was); the pages themselves use the cursors."""
    rows = db.session.execute(query.add_columns(_count(query)).limit(per_page)
                              .offset((number - 1) * per_page)).all()
    total = rows[0][1] if rows else db.session.scalar(select(_count(query)))
    return Page(items=[row[0] for row in rows], total=total, has_prev=number > 1,
                has_next=number * per_page < total, per_page=per_page, number=number)


# What a line of the list shows (cases/list.html), and its place in the list: a case's
# description, reporter and commune stay in the database.
LISTED = (Case.reference, Case.village, Case.conflict_type, Case.confidential, Case.workflow,
          Case.workflow_version, Case.status, Case.status_changed_at, Case.created_at)


def search(user, filters: CaseFilters, cursor: Cursor, per_page: int) -> Page:
    """A page of the cases `user` may see that the filters select, as the list shows them."""
    query = matching(user, filters).options(load_only(*LISTED), raiseload(Case.commune))
    return read_page(query, cursor, per_page)


@dataclass(frozen=True)
class Line:
    """A case as a line of the list writes it."""
    case: Case
    state: str
    conflict_type: str
    days: str


def lines(items) -> list[Line]:
    """The page's cases with their labels, each translated once per page rather than once per
    line: a page of fifty lines asked the translations hundreds of times."""
    locale, now, catalogue = locale_code(), utcnow(), translations()
    states, types, days = {}, {}, {}
    found = []
    for case in items:
        key = (case.workflow, case.workflow_version, case.status)
        if key not in states:
            states[key] = workflow_of(case).state(case.status).label(locale)
        if case.conflict_type not in types:
            types[case.conflict_type] = str(label(CONFLICT_TYPES, case.conflict_type))
        count = case.days_in_state(now)
        if count not in days:
            days[count] = catalogue.ungettext(
                "%(num)d day in this state", "%(num)d days in this state", count) % {
                    "num": count}
        found.append(Line(case, states[key], types[case.conflict_type], days[count]))
    return found
