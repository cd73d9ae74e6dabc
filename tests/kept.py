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

from sqlalchemy import inspect

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
    `recovery_codes_given`) comes along."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{field.name: reloaded(getattr(value, field.name))
                                             for field in dataclasses.fields(value)
                                             if field.init})
    if isinstance(value, dict):
        return {key: reloaded(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(reloaded(item) for item in value)
    state = inspect(value, raiseerr=False)
    if state is None or not hasattr(state, "identity") or state.identity is None:
        return value
    fresh = db.session.get(type(value), state.identity)
    columns = state.mapper.attrs.keys()
    for name, extra in vars(value).items():
        if not name.startswith("_sa_") and name not in columns:
            setattr(fresh, name, extra)
    return fresh
