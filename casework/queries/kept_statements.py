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

import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import current_app, g, has_request_context

from .. import access
from ..workflow_registry import engine

# At most this many statements per app (per server process), the least recently used
# forgotten first. One takes 100-200 KB with SQLAlchemy's keys (a mediator's page keeps 9):
# 512 hold the pages of about 60 people for some 60 MB per process.
KEPT_STATEMENTS = 512
STORE = "palabre.kept_statements"
_LOCK = threading.Lock()


def _census():
    """The commune census, read once per request (no page adds a commune and then counts)."""
    if not has_request_context():
        return access.commune_census()
    if "palabre_census" not in g:
        g.palabre_census = access.commune_census()
    return g.palabre_census


def store() -> OrderedDict:
    """This app's kept statements, by key, the most recently used last."""
    return current_app.extensions.setdefault(STORE, OrderedDict())


def kept(user, name: str, build: Callable[[], object]):
    """`build()`, a statement named `name` built from `user`, built once for what it is
    built from (see the module's text)."""
    workflows = tuple(engine().workflows())
    key = (name, access.holdings(user), tuple(map(id, workflows)),
           _census() if access.commune_ids(user) else None)
    statements = store()
    with _LOCK:
        found = statements.get(key)
        if found is not None:
            statements.move_to_end(key)
            return found[1]
    built = (workflows, build())  # the workflows kept with it: their ids stay theirs
    with _LOCK:
        statements[key] = built
        while len(statements) > KEPT_STATEMENTS:
            statements.popitem(last=False)
    return built[1]
