"""The index of entry_months by commune, state and month (with the entries): a commune's
conflicts taken on this year read from the index alone, for the menu's count of the communes
below their target on every page of a coordinator

Revision ID: e2c5b8d1f4a7
Revises: 7b3e5a1c9d20
Create Date: 2026-12-05 18:10:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'e2c5b8d1f4a7'
down_revision = '7b3e5a1c9d20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_entry_months_commune_id_state_month', 'entry_months',
                    ['commune_id', 'state', 'month', 'entries'], unique=False)


def downgrade():
    op.drop_index('ix_entry_months_commune_id_state_month', table_name='entry_months')
