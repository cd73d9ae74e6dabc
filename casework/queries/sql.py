"""The few SQL expressions that SQLite and PostgreSQL spell differently."""
from sqlalchemy import Float, String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class month_of(FunctionElement):
    """'2026-11' for a UTC timestamp (Bamako keeps UTC all year, so it is the local month)."""

    type = String()
    inherit_cache = True


@compiles(month_of, "sqlite")  # qmark parameters: a % needs no escaping
def _month_sqlite(element, compiler, **kw):
    return f"strftime('%Y-%m', {compiler.process(element.clauses, **kw)})"


@compiles(month_of, "postgresql")
def _month_postgresql(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM')"


class days_between(FunctionElement):
    """Days (fractional) from the first timestamp to the second."""

    type = Float()
    inherit_cache = True


@compiles(days_between, "sqlite")
def _days_sqlite(element, compiler, **kw):
    start, end = list(element.clauses)
    return (f"(julianday({compiler.process(end, **kw)}) "
            f"- julianday({compiler.process(start, **kw)}))")


@compiles(days_between, "postgresql")
def _days_postgresql(element, compiler, **kw):
    start, end = list(element.clauses)
    return (f"(EXTRACT(EPOCH FROM ({compiler.process(end, **kw)} "
            f"- {compiler.process(start, **kw)})) / 86400.0)")
