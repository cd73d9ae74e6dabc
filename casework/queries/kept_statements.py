"""Statements built once per person and what they are built from, then only run.

A page of "Mon travail" and the menu of every page ask the same statements for the same person
again and again. Building one (the clauses of every state of every loaded workflow, the
person's communes) and SQLAlchemy's key for it took longer than running it, on every page. So
`kept(user, name, build)` keeps `build()` by everything it is built from:

- what the person holds (`access.holdings`: who, roles per commune, services): a change of
  role is another key, never a stale statement;
- the loaded workflows (a new version is another key, as `states.built_once`);
- the commune census (`access.commune_census`), which `access.in_communes` reads to choose
  its condition: a commune added is another key.

The rule for what is kept: every value a statement takes from the clock is read when it runs
(`states.at_run`), never when it is built, so that one statement serves any moment
(tests/functional/test_my_work_clock.py checks it against statements built at each moment).
Nothing counted is kept: only the statement, whose figures are read afresh each time.
"""
from __future__ import annotations

from collections.abc import Callable

from flask import current_app, g, has_request_context

from .. import access
from ..workflow_registry import engine

# At most this many statements per app, then started afresh (as states.built_once).
KEPT_STATEMENTS = 2048
STORE = "palabre.kept_statements"


def _census():
    """The commune census, read once per request (no page adds a commune and then counts)."""
    if not has_request_context():
        return access.commune_census()
    if "palabre_census" not in g:
        g.palabre_census = access.commune_census()
    return g.palabre_census


def kept(user, name: str, build: Callable[[], object]):
    """`build()`, a statement named `name` built from `user`, built once for what it is
    built from (see the module's text)."""
    workflows = tuple(engine().workflows())
    key = (name, access.holdings(user), tuple(map(id, workflows)),
           _census() if access.commune_ids(user) else None)
    store = current_app.extensions.setdefault(STORE, {})
    found = store.get(key)
    if found is None:
        if len(store) >= KEPT_STATEMENTS:
            store.clear()
        found = store[key] = (workflows, build())  # the workflows kept: their ids stay theirs
    return found[1]
