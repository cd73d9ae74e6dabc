"""the case list's indexes end with the id: its pages are read by keyset

The case list sorts by report date then id, and a page starts after the (created_at, id) of the
last case of the page before. An index on (..., created_at, id) gives that order as it is read,
from where the page starts, on PostgreSQL; SQLite's indexes already end with the rowid, the id.
Each index replaces the one it extends.

Revision ID: 2a8d4f31f2ae
Revises: 96f3c4978582
Create Date: 2026-12-05 01:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '2a8d4f31f2ae'
down_revision = '96f3c4978582'
branch_labels = None
depends_on = None

WIDENED = [("ix_cases_commune_id_created_at", ["commune_id", "created_at"]),
           ("ix_cases_created_at", ["created_at"]),
           ("ix_cases_status_created_at", ["status", "created_at"])]


def upgrade():
    for name, columns in WIDENED:
        op.create_index(f"{name}_id", "cases", [*columns, "id"], unique=False)
        op.drop_index(name, table_name="cases")


def downgrade():
    for name, columns in WIDENED:
        op.create_index(name, "cases", columns, unique=False)
        op.drop_index(f"{name}_id", table_name="cases")
