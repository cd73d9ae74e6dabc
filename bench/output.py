"""Writing the rows: into one transaction, executemany on SQLite and COPY on PostgreSQL.

`open_output` checks the database has the schema the generator knows (COLUMNS) and no rows,
then gives the Output for its dialect.
"""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime

from sqlalchemy import Date, DateTime, MetaData, create_engine, text

from bench.rows import COLUMNS


class Output:
    """Writes rows into one transaction; `finish` commits and refreshes the planner statistics."""

    def __init__(self, connection):
        self.connection = connection  # the driver's own connection (sqlite3, psycopg)

    def write(self, pending: dict[str, list]) -> None:
        for table, columns in COLUMNS.items():
            if pending[table]:
                self.write_table(table, columns, pending[table])

    def write_table(self, table: str, columns: tuple, rows: list) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        self.connection.commit()
        self.connection.execute("ANALYZE")
        self.connection.commit()

    def abort(self) -> None:
        self.connection.rollback()


class SQLiteOutput(Output):
    """executemany in one transaction; dates and times as SQLAlchemy stores them on SQLite."""

    def __init__(self, connection, schema: MetaData):
        super().__init__(connection)
        connection.isolation_level = None  # we say when the transaction begins
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA cache_size = -200000")  # 200 MB, for the growing indexes
        connection.execute("BEGIN")
        self.converters = {table: _sqlite_converters(schema.tables[table], columns)
                           for table, columns in COLUMNS.items()}

    def write_table(self, table, columns, rows):
        marks = ", ".join("?" * len(columns))
        self.connection.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
            _converted(rows, self.converters[table]))


def _sqlite_datetime(moment: datetime) -> str:
    return moment.isoformat(" ", "microseconds")


def _sqlite_converters(table, columns) -> list:
    """(index, function) for each date or time column: SQLite stores them as text."""
    converters = []
    for index, name in enumerate(columns):
        kind = table.columns[name].type
        if isinstance(kind, DateTime):
            converters.append((index, _sqlite_datetime))
        elif isinstance(kind, Date):
            converters.append((index, date.isoformat))
    return converters


def _converted(rows, converters):
    for row in rows:
        row = list(row)
        for index, convert in converters:
            if row[index] is not None:
                row[index] = convert(row[index])
        yield row


class PostgreSQLOutput(Output):
    """COPY in one transaction; then the id sequences are moved past the ids we gave."""

    def write_table(self, table, columns, rows):
        with self.connection.cursor() as cursor, \
                cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)

    def finish(self):
        for table in (table for table, columns in COLUMNS.items() if columns[0] == "id"):
            self.connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 1), "
                f"max(id) IS NOT NULL) FROM {table}")
        super().finish()
        # What autovacuum does to a database that has lived a while: without the visibility
        # map, every index-only count of the dashboard would read the table too.
        self.connection.autocommit = True
        self.connection.execute("VACUUM ANALYZE")


def _check_schema(schema: MetaData) -> None:
    """Fail early, and clearly, on a database this module does not know how to fill."""
    for table, columns in COLUMNS.items():
        if table not in schema.tables:
            raise RuntimeError(f"table {table!r} is missing: run `flask db upgrade` first")
        known = schema.tables[table].columns
        unknown = [name for name in columns if name not in known]
        unfilled = [c.name for c in known if c.name not in columns and not c.nullable
                    and c.server_default is None]
        if unknown or unfilled:
            raise RuntimeError(f"{table}: the generator does not match the schema "
                               f"(unknown columns {unknown}, required columns {unfilled})")


def _check_empty(connection) -> None:
    for table in COLUMNS:
        if connection.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first() is not None:
            raise RuntimeError(f"table {table!r} already has rows: generate into an empty "
                               "database (schema only)")


@contextmanager
def open_output(database_url: str):
    """An Output on the database, checked to have the schema and no rows."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            schema = MetaData()
            schema.reflect(connection, only=list(COLUMNS))
            _check_schema(schema)
            _check_empty(connection)
        raw = engine.raw_connection()
        try:
            driver = raw.driver_connection
            output = (SQLiteOutput(driver, schema) if engine.dialect.name == "sqlite"
                      else PostgreSQLOutput(driver))
            try:
                yield output
            except BaseException:
                output.abort()
                raise
        finally:
            raw.close()
    finally:
        engine.dispose()
