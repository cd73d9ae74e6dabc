"""waiting_days: what waits in the sources of "Mon travail" that depend on the commune alone,
by commune, source and the day it waits from, for the menu's count of a coordinator; and
waiting_totals, the same every commune together; the index of the pending proposals by when
they were made (the sign-offs late since today)

Filled from the cases already there by the very recount `flask verify-figures` runs.

Revision ID: 7b3e5a1c9d20
Revises: 5d1e7f3a9c42
Create Date: 2026-12-05 14:50:00.000000

"""
from alembic import op
import sqlalchemy as sa

from casework.services.summaries import rebuild


# revision identifiers, used by Alembic.
revision = '7b3e5a1c9d20'
down_revision = '5d1e7f3a9c42'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('waiting_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_waiting_days_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waiting_days')),
    sa.UniqueConstraint('commune_id', 'source', 'day', name=op.f('uq_waiting_days_commune_id_source_day')),
    sqlite_autoincrement=True
    )
    op.create_table('waiting_totals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('day', sa.String(length=10), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_waiting_totals')),
    sa.UniqueConstraint('source', 'day', name=op.f('uq_waiting_totals_source_day')),
    sqlite_autoincrement=True
    )
    op.create_index('ix_proposals_pending_proposed_at', 'proposals', ['proposed_at'], unique=False,
                    sqlite_where=sa.text("status = 'pending'"),
                    postgresql_where=sa.text("status = 'pending'"))
    rebuild(op.get_bind(), ("waiting_days", "waiting_totals"))


def downgrade():
    op.drop_index('ix_proposals_pending_proposed_at', table_name='proposals')
    op.drop_table('waiting_totals')
    op.drop_table('waiting_days')
