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


class _after(FunctionElement):
    """The text of the instant a number of days (an SQL integer) after a UTC timestamp, cut
    to `characters` ('YYYY-MM': 7, 'YYYY-MM-DD': 10); Bamako's day and month are UTC's."""

    type = String()
    inherit_cache = True
    characters = 10
    pattern = "YYYY-MM-DD"


class month_after(_after):
    """'2026-11' for a UTC timestamp plus a number of days, the month of that instant."""

    inherit_cache = True
    characters = 7
    pattern = "YYYY-MM"


class day_after(_after):
    """'2026-11-29' for a UTC timestamp plus a number of days, the day of that instant."""

    inherit_cache = True


@compiles(_after, "sqlite")
def _after_sqlite(element, compiler, **kw):
    column, days = (compiler.process(c, **kw) for c in element.clauses)
    return f"substr(datetime({column}, '+' || ({days}) || ' days'), 1, {element.characters})"


@compiles(_after, "postgresql")
def _after_postgresql(element, compiler, **kw):
    column, days = (compiler.process(c, **kw) for c in element.clauses)
    return (f"to_char({column} + make_interval(days => ({days})::int), "
            f"'{element.pattern}')")
