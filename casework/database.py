"""Database engine settings: SQLite pragmas and write transactions begun IMMEDIATE."""
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

# True while the current unit of work intends to write (a POST request, a CLI command that
# writes): its SQLite transaction then begins IMMEDIATE, taking the write lock up front, so
# that two writers queue on busy_timeout instead of failing half-way with "database is locked".
write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)

SQLITE_BUSY_TIMEOUT_MS = 10_000


def configure_engine(engine: Engine) -> None:
    """Apply the per-dialect settings DESIGN.md asks for; PostgreSQL needs none here."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
