"""States named by what they count as (their `tags:` in the definitions), never by name, in SQL.

The states a tag names are read when the statement runs, not when it is built, so that a
clause can stand in a module constant (`checked.CHECKED`) before the engine is loaded."""
from __future__ import annotations

from sqlalchemy import bindparam

from ..workflow_registry import STATE_TAGS, tagged_states


def tagged(column, tag: str):
    """`column` (a state's name) is a state that carries `tag` in a loaded workflow."""
    if tag not in STATE_TAGS:
        raise KeyError(f"unknown state tag {tag!r}")
    return column.in_(bindparam(f"tagged_{tag}", callable_=lambda: tagged_states(tag),
                                expanding=True, unique=True))
