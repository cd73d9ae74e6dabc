"""services

The directory of services a case is referred to, per commune, kept by the administrators,
and their focal points (the accounts that answer the referrals addressed to a service).

Revision ID: 7a3e5c1d9b24
Revises: 2a8d4f31f2ae
Create Date: 2026-12-05 01:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7a3e5c1d9b24'
down_revision = '2a8d4f31f2ae'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'services',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=160), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('commune_id', sa.Integer(), nullable=False),
        sa.Column('contact', sa.String(length=300), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['commune_id'], ['communes.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_services_commune_id'), 'services', ['commune_id'], unique=False)
    op.create_table(
        'service_focal_points',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['services.id'], ),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('service_id', 'user_id'),
        sqlite_autoincrement=True,
    )
    op.create_index(op.f('ix_service_focal_points_service_id'), 'service_focal_points',
                    ['service_id'], unique=False)
    op.create_index(op.f('ix_service_focal_points_user_id'), 'service_focal_points',
                    ['user_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_service_focal_points_user_id'), table_name='service_focal_points')
    op.drop_index(op.f('ix_service_focal_points_service_id'),
                  table_name='service_focal_points')
    op.drop_table('service_focal_points')
    op.drop_index(op.f('ix_services_commune_id'), table_name='services')
    op.drop_table('services')
