"""The few SQL expressions that SQLite and PostgreSQL spell differently."""
from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class month_of(FunctionElement):
    """'2026-11' for a UTC timestamp (Bamako keeps UTC all year, so it is the local month)."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")
def _month_sqlite(element, compiler, **kw):
    # SQLite keeps timestamps as ISO text ('2026-11-29 10:00:00'): the month is its start,
    # read without parsing a date for each of 100,000 rows.
    return f"substr({compiler.process(element.clauses, **kw)}, 1, 7)"


@compiles(month_of, "postgresql")
def _month_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class month_after(FunctionElement):
    """'2026-11' for a UTC timestamp plus a number of days (an SQL integer), the month of the
    instant that many days later."""

    type = String()
    inherit_cache = True


@compiles(month_after, "sqlite")
def _month_after_sqlite(element, compiler, **kw):
    column, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"substr(datetime({column}, '+' || ({days}) || ' days'), 1, 7)"


@compiles(month_after, "postgresql")
def _month_after_postgresql(element, compiler, **kw):
    column, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char({column} + make_interval(days => ({days})::int), 'YYYY-MM')"


class day_after(FunctionElement):
    """'2026-11-29' for a UTC timestamp plus a number of days (an SQL integer), the day of the
    instant that many days later (Bamako's day: UTC)."""

    type = String()
    inherit_cache = True


@compiles(day_after, "sqlite")
def _day_after_sqlite(element, compiler, **kw):
    column, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"substr(datetime({column}, '+' || ({days}) || ' days'), 1, 10)"


@compiles(day_after, "postgresql")
def _day_after_postgresql(element, compiler, **kw):
    column, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"to_char({column} + make_interval(days => ({days})::int), 'YYYY-MM-DD')"
