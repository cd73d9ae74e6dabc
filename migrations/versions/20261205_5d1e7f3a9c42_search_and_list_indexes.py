"""search trigram index, and the case list's index by state and type

The search box finds a word anywhere in a case's folded text (`LIKE '%word%'`), which no
b-tree can serve: every search read the whole of case_search. A trigram index serves it: on
PostgreSQL a GIN index (pg_trgm) on case_search.text, on SQLite an FTS5 table with the
trigram tokenizer over case_search (its contents, not a copy), kept by triggers. The query
still checks each word against case_search itself: the index only narrows where it looks.

The list of every commune filtered by state and type, and its count, read an index of the
cases not merged into another, by state, type and the list's order.

Revision ID: 5d1e7f3a9c42
Revises: c3e9a7d2f150
Create Date: 2026-12-05 07:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5d1e7f3a9c42'
down_revision = '5d2b8e0c7a41'
branch_labels = None
depends_on = None

SQLITE_UP = [
    "CREATE VIRTUAL TABLE case_search_trigrams USING fts5("
    "text, content='case_search', content_rowid='case_id', tokenize='trigram')",
    "INSERT INTO case_search_trigrams(case_search_trigrams) VALUES ('rebuild')",
    "CREATE TRIGGER case_search_trigrams_insert AFTER INSERT ON case_search BEGIN "
    "INSERT INTO case_search_trigrams(rowid, text) VALUES (new.case_id, new.text); END",
    "CREATE TRIGGER case_search_trigrams_delete AFTER DELETE ON case_search BEGIN "
    "INSERT INTO case_search_trigrams(case_search_trigrams, rowid, text) "
    "VALUES ('delete', old.case_id, old.text); END",
    "CREATE TRIGGER case_search_trigrams_update AFTER UPDATE ON case_search BEGIN "
    "INSERT INTO case_search_trigrams(case_search_trigrams, rowid, text) "
    "VALUES ('delete', old.case_id, old.text); "
    "INSERT INTO case_search_trigrams(rowid, text) VALUES (new.case_id, new.text); END",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS case_search_trigrams_update",
    "DROP TRIGGER IF EXISTS case_search_trigrams_delete",
    "DROP TRIGGER IF EXISTS case_search_trigrams_insert",
    "DROP TABLE IF EXISTS case_search_trigrams",
]


def upgrade():
    op.create_index("ix_cases_listed_by_status_type", "cases",
                    ["status", "conflict_type", "created_at", "id"],
                    sqlite_where=sa.text("merged_into_id IS NULL"),
                    postgresql_where=sa.text("merged_into_id IS NULL"))
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_UP:
            op.execute(statement)
    else:
        # pg_trgm is a trusted extension: the owner of the database may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX ix_case_search_text_trigrams ON case_search "
                   "USING gin (text gin_trgm_ops)")


def downgrade():
    op.drop_index("ix_cases_listed_by_status_type", table_name="cases")
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    else:
        op.execute("DROP INDEX IF EXISTS ix_case_search_text_trigrams")
