"""Database engine settings: SQLite pragmas, write transactions begun IMMEDIATE, and no row
ever written to the log."""
import logging
from contextvars import ContextVar

from sqlalchemy import event
from sqlalchemy.engine import Engine

# True while the current unit of work intends to write (a POST request, a CLI command that
# writes): its SQLite transaction then begins IMMEDIATE, taking the write lock up front, so
# that two writers queue on busy_timeout instead of failing half-way with "database is locked".
write_intent: ContextVar[bool] = ContextVar("write_intent", default=False)

SQLITE_BUSY_TIMEOUT_MS = 10_000
# SQLite's own page cache is 2 MB by default: a dashboard over 100,000 cases would read its
# indexes again from the operating system on every request. Memory-map the file and keep a
# larger cache per connection instead (measured with `make bench`).
SQLITE_CACHE_KIB = 65_536
SQLITE_MMAP_BYTES = 512 * 1024 * 1024


class WithoutRows(logging.Filter):
    """SQLAlchemy's log at DEBUG writes every row it reads, party names and descriptions
    included: those records are dropped, whoever turns the level up. (Statement parameters
    are hidden by the engine option `hide_parameters`, see config.py.)"""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.msg != "Row %r"


WITHOUT_ROWS = WithoutRows()


def configure_engine(engine: Engine) -> None:
    """Apply the per-dialect settings: SQLite in WAL mode with a busy timeout, foreign keys on
    and write transactions begun IMMEDIATE; PostgreSQL without JIT."""
    engine_log = logging.getLogger("sqlalchemy.engine.Engine")
    if WITHOUT_ROWS not in engine_log.filters:
        engine_log.addFilter(WITHOUT_ROWS)
    if engine.dialect.name == "postgresql":
        @event.listens_for(engine, "connect")
        def _on_pg_connect(dbapi_connection, _record):
            # Compiling a dashboard aggregate to machine code costs more than it saves on
            # queries of a few tens of milliseconds (measured with `make bench`).
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SET jit = off")
            dbapi_connection.commit()
        return
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
            cursor.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
            cursor.execute(f"PRAGMA mmap_size = {SQLITE_MMAP_BYTES}")
            cursor.execute("PRAGMA temp_store = MEMORY")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
