"""former references

A case moved to another commune takes a reference of that commune's series; the one it had is
kept here, so that it still leads to the case and is never given to another.

Revision ID: c05e7a1b2d3f
Revises: 018cc2e5a2a7
Create Date: 2026-12-04 21:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c05e7a1b2d3f'
down_revision = '018cc2e5a2a7'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('former_references',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=24), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('moved_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_former_references_case_id_cases')),
    sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], name=op.f('fk_former_references_commune_id_communes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_former_references')),
    sa.UniqueConstraint('reference', name=op.f('uq_former_references_reference')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('former_references', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_former_references_case_id'), ['case_id'], unique=False)


def downgrade():
    with op.batch_alter_table('former_references', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_former_references_case_id'))
    op.drop_table('former_references')
