"""versions of FFOM analyses and activities carried out

An FFOM analysis and an activity carried out can now be corrected after they are recorded;
like the plans, each row carries a version so that a form opened before someone else's
correction is refused (409) instead of silently overwriting it. Rows already there start at 1.

Revision ID: a7d2e9c4b150
Revises: d3a8b5e7f712
Create Date: 2026-11-29 07:05:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a7d2e9c4b150'
down_revision = 'd3a8b5e7f712'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('ffom_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))

    with op.batch_alter_table('mechanism_activities', schema=None) as batch_op:
        batch_op.add_column(sa.Column('version', sa.Integer(), server_default='1', nullable=False))


def downgrade():
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of mechanism_activities
    # would trip over the foreign keys of its files and appreciations.
    op.drop_column('mechanism_activities', 'version')
    op.drop_column('ffom_analyses', 'version')
