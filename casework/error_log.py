"""What an unexpected error leaves in the log: its types, SQL statement and stack, never the
values involved (which may be a party's name)."""
from __future__ import annotations

import traceback

from sqlalchemy.exc import StatementError


def describe(error: BaseException) -> str:
    """What failed and where, for the log, without the values involved.

    An exception's message may quote what a person typed (PostgreSQL quotes the value it
    refuses, a KeyError its key), and that may be a party's name: the log keeps the types, the
    SQL statement with its placeholders, the database's error code and the stack, never the
    messages nor the parameters.
    """
    lines, seen = [], set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}")
        if isinstance(current, StatementError):
            code = getattr(current.orig, "sqlstate", None) or getattr(current, "code", "")
            lines.append(f"  database error {code}; statement: {current.statement}")
        lines += ["  " + line.rstrip("\n") for line in
                  traceback.format_list(traceback.extract_tb(current.__traceback__))]
        current = current.__cause__ or current.__context__
    return "\n".join(lines)
