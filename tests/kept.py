"""Rows the tests of one module share, built once for the module instead of once per test.

Every test runs in a savepoint of its module's connection (`module_connection`, tests/conftest.py).
A fixture named `kept_<name>`, module-scoped, builds its rows on that connection before the
module's first test (`build_on`), and they stay, unchanged, under every test's savepoint. A test
reads them again in its own session (`reloaded`): fresh objects, so that what one test changed
and rolled back is never seen by the next.
"""
from __future__ import annotations

import contextlib
import dataclasses

from sqlalchemy import inspect, select

from casework.extensions import db


@contextlib.contextmanager
def on_connection(app, connection):
    """An app context whose session works on `connection`: its commits release savepoints
    inside the connection's transaction."""
    with app.app_context():
        engines = db.engines
        engine = engines[None]
        engines[None] = connection
        try:
            yield
        finally:
            db.session.remove()
            engines[None] = engine


def build_on(app, connection, build):
    """`build()`'s rows, written once on the module's connection."""
    with on_connection(app, connection):
        value = build()
        db.session.commit()
    return value


def reloaded(value):
    """`value` with every row in it read again in this test's session, in the same dicts,
    lists, tuples and dataclasses; what a factory hung on a row beside its columns (a user's
    `recovery_codes_given`) comes along. The rows of each model are read in one statement."""
    found: dict[type, set] = {}
    _walk(value, lambda row, state: found.setdefault(type(row), set()).add(state.identity))
    read = []  # held: the session's identity map keeps its rows only while they are used
    for model, identities in found.items():
        keys = inspect(model).primary_key
        if len(keys) == 1:
            read += db.session.scalars(select(model).where(
                keys[0].in_([identity[0] for identity in identities])))
    return _walk(value, _fresh)


def _fresh(row, state):
    fresh = db.session.get(type(row), state.identity)  # in the identity map, read above
    columns = state.mapper.attrs.keys()
    for name, extra in vars(row).items():
        if not name.startswith("_sa_") and name not in columns:
            setattr(fresh, name, extra)
    return fresh


def _walk(value, visit):
    """`value` rebuilt with visit(row, its state) in place of each row."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{field.name: _walk(getattr(value, field.name), visit)
                                             for field in dataclasses.fields(value)
                                             if field.init})
    if isinstance(value, dict):
        return {key: _walk(item, visit) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(_walk(item, visit) for item in value)
    state = inspect(value, raiseerr=False)
    if state is None or not hasattr(state, "identity") or state.identity is None:
        return value
    return visit(value, state)
