"""case merges

A duplicate report merged by a coordinator into the case it repeats keeps its row, marked with
the case it was merged into; every list, count and figure leaves it out. Its reference becomes
a former reference of the kept case, marked merged: a form sent to it is not redirected (the
version it carries is another case's).

Revision ID: d4a7e2c91b36
Revises: 4f1c2b9d7e60
Create Date: 2026-12-05 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4a7e2c91b36'
down_revision = '4f1c2b9d7e60'
branch_labels = None
depends_on = None


def upgrade():
    # Plain ALTER TABLE ... ADD COLUMN on both databases: a batch copy of `cases` would trip
    # over the foreign keys of every table that points at it (SQLite takes the reference
    # written inline, not as a constraint added afterwards).
    if op.get_bind().dialect.name == 'sqlite':
        op.execute('ALTER TABLE cases ADD COLUMN merged_into_id INTEGER '
                   'CONSTRAINT fk_cases_merged_into_id_cases REFERENCES cases (id)')
    else:
        op.add_column('cases', sa.Column('merged_into_id', sa.Integer(), nullable=True))
        op.create_foreign_key(op.f('fk_cases_merged_into_id_cases'), 'cases', 'cases',
                              ['merged_into_id'], ['id'])
    op.create_index('ix_cases_merged_into_id', 'cases', ['merged_into_id'], unique=False)
    op.add_column('former_references', sa.Column('merged', sa.Boolean(), nullable=False,
                                                 server_default=sa.false()))


def downgrade():
    op.drop_column('former_references', 'merged')
    op.drop_index('ix_cases_merged_into_id', table_name='cases')
    if op.get_bind().dialect.name != 'sqlite':
        op.drop_constraint(op.f('fk_cases_merged_into_id_cases'), 'cases', type_='foreignkey')
    op.drop_column('cases', 'merged_into_id')
