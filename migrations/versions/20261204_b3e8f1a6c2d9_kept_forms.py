"""kept forms

A form sent after its session ended is kept for the person whose session it was, for a short
time, until they sign in again (casework/kept_forms.py).

Revision ID: b3e8f1a6c2d9
Revises: 7c3e9a1f5b20
Create Date: 2026-12-04 21:15:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b3e8f1a6c2d9'
down_revision = '7c3e9a1f5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kept_forms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('path', sa.String(length=400), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_kept_forms_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kept_forms')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('kept_forms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kept_forms_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kept_forms_expires_at'), ['expires_at'], unique=False)


def downgrade():
    with op.batch_alter_table('kept_forms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kept_forms_expires_at'))
        batch_op.drop_index(batch_op.f('ix_kept_forms_user_id'))
    op.drop_table('kept_forms')
