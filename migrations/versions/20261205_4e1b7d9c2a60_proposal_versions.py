"""a version per proposal, and the case a report's one-time key opened

A sign-off form was judged stale by reading the events written since the proposal; the
proposal now carries its own version, moved by changes to its row only. The intake form's
one-time key was looked for in the events; it is now kept in offline_submissions (the table of
forms' one-time keys) with the case it opened. Proposals already there start at 1.

Revision ID: 4e1b7d9c2a60
Revises: d4a7e2c91b36
Create Date: 2026-12-05 00:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4e1b7d9c2a60'
down_revision = 'd4a7e2c91b36'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE ... ADD COLUMN on both databases: a batch copy would lose the tables'
    # AUTOINCREMENT on SQLite (ids are never reused), and Alembic writes no REFERENCES clause
    # in SQLite's ADD COLUMN, so it is written here.
    op.add_column('proposals',
                  sa.Column('version', sa.Integer(), server_default='1', nullable=False))
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE offline_submissions ADD COLUMN case_id INTEGER '
                   'CONSTRAINT fk_offline_submissions_case_id_cases REFERENCES cases (id)')
    else:
        op.add_column('offline_submissions', sa.Column('case_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_offline_submissions_case_id_cases'),
                              'offline_submissions', 'cases', ['case_id'], ['id'])


def downgrade():
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('fk_offline_submissions_case_id_cases'), 'offline_submissions',
                           type_='foreignkey')
    op.drop_column('offline_submissions', 'case_id')
    op.drop_column('proposals', 'version')
