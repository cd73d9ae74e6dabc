"""offline submissions

A form sent from a phone's offline queue carries a key; the first answer is kept under the
user and that key, so that the same item sent again (the network dropped before the answer
came back) is not done twice.

Revision ID: 7c3e9a1f0b25
Revises: b7c41d2e9f30
Create Date: 2026-12-04 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7c3e9a1f0b25'
down_revision = 'b7c41d2e9f30'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('offline_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_offline_submissions_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_offline_submissions')),
    sa.UniqueConstraint('user_id', 'key', name=op.f('uq_offline_submissions_user_id_key')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('offline_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_offline_submissions_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('offline_submissions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_offline_submissions_user_id'))
    op.drop_table('offline_submissions')
