"""summary tables of what happened to the cases: entries into each state by commune and month
(and over every month), the agreements checked by a follow-up visit by commune, and the cases
with a reconciliation team (one with a woman) by commune and month reported, and in total; the
cases in a state with a time limit by commune and the month it passes, and the index that counts
those of this month

Filled from the cases already there by the very recount `flask verify-figures` runs.

Revision ID: 5d2b8e0c7a41
Revises: c3e9a7d2f150
Create Date: 2026-12-05 06:10:00.000000

"""
from alembic import op
import sqlalchemy as sa

from casework.services.summaries import rebuild


# revision identifiers, used by Alembic.
revision = '5d2b8e0c7a41'
down_revision = 'c3e9a7d2f150'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('entry_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_entry_months_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_months')),
    sa.UniqueConstraint('commune_id', 'month', 'state', name=op.f('uq_entry_months_commune_id_month_state')),
    sqlite_autoincrement=True
    )
    op.create_table('entry_states',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=64), nullable=False),
    sa.Column('entries', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_entry_states_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entry_states')),
    sa.UniqueConstraint('commune_id', 'state', name=op.f('uq_entry_states_commune_id_state')),
    sqlite_autoincrement=True
    )
    op.create_table('agreement_checks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('found', sa.String(length=8), nullable=False),
    sa.Column('agreements', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_agreement_checks_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_checks')),
    sa.UniqueConstraint('commune_id', 'found', name=op.f('uq_agreement_checks_commune_id_found')),
    sqlite_autoincrement=True
    )
    op.create_table('team_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('found', sa.String(length=8), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_team_months_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_months')),
    sa.UniqueConstraint('commune_id', 'month', 'found', name=op.f('uq_team_months_commune_id_month_found')),
    sqlite_autoincrement=True
    )
    op.create_table('team_totals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('found', sa.String(length=8), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_totals')),
    sa.UniqueConstraint('month', 'found', name=op.f('uq_team_totals_month_found')),
    sqlite_autoincrement=True
    )
    op.create_table('limit_months',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('month', sa.String(length=7), nullable=False),
    sa.Column('cases', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_limit_months_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_limit_months')),
    sa.UniqueConstraint('commune_id', 'month', name=op.f('uq_limit_months_commune_id_month')),
    sqlite_autoincrement=True
    )
    op.create_index('ix_cases_status_status_changed_at', 'cases', ['status', 'status_changed_at'], unique=False)
    rebuild(op.get_bind(), ("entry_months", "entry_states", "agreement_checks", "team_months",
                            "team_totals", "limit_months"))


def downgrade():
    op.drop_index('ix_cases_status_status_changed_at', table_name='cases')
    op.drop_table('limit_months')
    op.drop_table('team_totals')
    op.drop_table('team_months')
    op.drop_table('agreement_checks')
    op.drop_table('entry_states')
    op.drop_table('entry_months')
