"""event case version

Each event of a case keeps the case's version it was written on, so that a form sent on an
older version (a phone's queued item) is answered with what happened to the case since.
Events written before have none: nothing tells their version exactly, so none is guessed.

Revision ID: 96f3c4978582
Revises: 4e1b7d9c2a60
Create Date: 2026-12-05 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '96f3c4978582'
down_revision = '4e1b7d9c2a60'
branch_labels = None
depends_on = None


# Plain ALTER TABLE, not a batch copy: the events table's append-only triggers stay in place.
def upgrade():
    op.add_column('events', sa.Column('case_version', sa.Integer(), nullable=True))


def downgrade():
    op.drop_column('events', 'case_version')
