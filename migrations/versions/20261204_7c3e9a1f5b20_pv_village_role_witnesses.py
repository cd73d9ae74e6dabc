"""party village and role, agreement witnesses

The procès-verbal names each party's village and role (who brought the complaint, who answers
it, who speaks for a family) and the witnesses present at the signing: people of the village
who hold no account, so they are written on the agreement, not taken from the sign-offs.
Both are optional: rows already recorded keep an empty value.

Revision ID: 7c3e9a1f5b20
Revises: c05e7a1b2d3f
Create Date: 2026-12-04 21:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9a1f5b20'
down_revision = 'c05e7a1b2d3f'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN (with its default) on both databases: no table is rebuilt, so the
    # sign-offs and visits that point to proposals keep their foreign keys on SQLite.
    op.add_column('parties', sa.Column('village', sa.String(length=160), nullable=False,
                                       server_default=''))
    op.add_column('parties', sa.Column('role', sa.String(length=120), nullable=False,
                                       server_default=''))
    op.add_column('proposals', sa.Column('witnesses', sa.Text(), nullable=False,
                                         server_default=''))


def downgrade():
    # ALTER TABLE ... DROP COLUMN (SQLite 3.35 and later, PostgreSQL): no table is rebuilt.
    op.drop_column('proposals', 'witnesses')
    op.drop_column('parties', 'role')
    op.drop_column('parties', 'village')
