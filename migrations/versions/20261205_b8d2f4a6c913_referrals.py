"""referrals

A referral is a record of its own: the service of the directory it was sent to, why, the
consent to share the names, and the service's answer and outcome.

Revision ID: b8d2f4a6c913
Revises: 7a3e5c1d9b24
Create Date: 2026-12-05 01:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b8d2f4a6c913'
down_revision = '7a3e5c1d9b24'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'referrals',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('referred_by_id', sa.Integer(), nullable=False),
        sa.Column('referred_at', sa.DateTime(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('consent', sa.Boolean(), nullable=False),
        sa.Column('consent_by', sa.String(length=160), nullable=True),
        sa.Column('consent_how', sa.String(length=16), nullable=True),
        sa.Column('consent_on', sa.Date(), nullable=True),
        sa.Column('answer_by', sa.Date(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('answered_at', sa.DateTime(), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.Column('decline_reason', sa.Text(), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=True),
        sa.Column('outcome_at', sa.DateTime(), nullable=True),
        sa.Column('outcome_by_id', sa.Integer(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['cases.id'], ),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], ),
        sa.ForeignKeyConstraint(['referred_by_id'], ['users.id'], ),
        sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], ),
        sa.ForeignKeyConstraint(['outcome_by_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    for column in ('case_id', 'service_id', 'answer_by', 'status'):
        op.create_index(op.f(f'ix_referrals_{column}'), 'referrals', [column], unique=False)


def downgrade():
    for column in ('case_id', 'service_id', 'answer_by', 'status'):
        op.drop_index(op.f(f'ix_referrals_{column}'), table_name='referrals')
    op.drop_table('referrals')
