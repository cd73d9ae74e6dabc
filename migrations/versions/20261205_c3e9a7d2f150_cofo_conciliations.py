"""cofo conciliations

The land commission's (COFO) conciliation of a land case referred to it: its date, its
outcome, the number of its PV, and the PV as a file of the case.

Revision ID: c3e9a7d2f150
Revises: af0e98fe4fa6
Create Date: 2026-12-05 03:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3e9a7d2f150'
down_revision = 'af0e98fe4fa6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'cofo_conciliations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('referral_id', sa.Integer(), nullable=False),
        sa.Column('conciliation_date', sa.Date(), nullable=False),
        sa.Column('outcome', sa.String(length=16), nullable=False),
        sa.Column('pv_number', sa.String(length=60), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.Column('attachment_id', sa.Integer(), nullable=True),
        sa.Column('recorded_by_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
        sa.ForeignKeyConstraint(['referral_id'], ['referrals.id'], ),
        sa.ForeignKeyConstraint(['attachment_id'], ['attachments.id'], ),
        sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    for column in ('case_id', 'referral_id'):
        op.create_index(op.f(f'ix_cofo_conciliations_{column}'), 'cofo_conciliations',
                        [column], unique=False)


def downgrade():
    for column in ('case_id', 'referral_id'):
        op.drop_index(op.f(f'ix_cofo_conciliations_{column}'), table_name='cofo_conciliations')
    op.drop_table('cofo_conciliations')
