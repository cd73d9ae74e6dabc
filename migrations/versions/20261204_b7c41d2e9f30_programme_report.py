"""programme report: partners, activity kinds' outcomes, authorities present

The partner organisations (kept by the administrators) credited with each activity and each
case; whether an activity was led by or supported a women's group; an advocacy session's
outcome (need carried into the PDSEC: yes, partly, no) and its document; the authorities
present at an activity, by role and sex.

Revision ID: b7c41d2e9f30
Revises: b3e8f1a6c2d9
Create Date: 2026-12-04 21:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41d2e9f30'
down_revision = 'b3e8f1a6c2d9'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('partners',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('name', sa.String(length=160), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partners')),
    sa.UniqueConstraint('code', name=op.f('uq_partners_code')),
    sqlite_autoincrement=True
    )
    op.create_table('activity_authorities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=32), nullable=False),
    sa.Column('sex', sa.String(length=1), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['mechanism_activities.id'], name=op.f('fk_activity_authorities_activity_id_mechanism_activities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_activity_authorities')),
    sqlite_autoincrement=True
    )
    with op.batch_alter_table('activity_authorities', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_authorities_activity_id'), ['activity_id'], unique=False)

    # Plain columns, added and dropped in place: SQLite would otherwise rebuild the table,
    # which the activities' files and appreciations point at.
    op.add_column('mechanism_activities', sa.Column('women_groups', sa.Boolean(), server_default='0', nullable=False))
    op.add_column('mechanism_activities', sa.Column('advocacy_outcome', sa.String(length=8), nullable=True))
    op.add_column('mechanism_activities', sa.Column('advocacy_document', sa.String(length=300), nullable=True))
    op.create_table('activity_partners',
    sa.Column('activity_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['activity_id'], ['mechanism_activities.id'], name=op.f('fk_activity_partners_activity_id_mechanism_activities')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_activity_partners_partner_id_partners')),
    sa.PrimaryKeyConstraint('activity_id', name=op.f('pk_activity_partners'))
    )
    with op.batch_alter_table('activity_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_activity_partners_partner_id'), ['partner_id'], unique=False)

    op.create_table('case_partners',
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('partner_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_case_partners_case_id_cases')),
    sa.ForeignKeyConstraint(['partner_id'], ['partners.id'], name=op.f('fk_case_partners_partner_id_partners')),
    sa.PrimaryKeyConstraint('case_id', name=op.f('pk_case_partners'))
    )
    with op.batch_alter_table('case_partners', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_case_partners_partner_id'), ['partner_id'], unique=False)


def downgrade():
    with op.batch_alter_table('case_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_case_partners_partner_id'))
    op.drop_table('case_partners')

    with op.batch_alter_table('activity_authorities', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_authorities_activity_id'))
    op.drop_table('activity_authorities')

    with op.batch_alter_table('activity_partners', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_activity_partners_partner_id'))
    op.drop_table('activity_partners')
    op.drop_column('mechanism_activities', 'advocacy_document')
    op.drop_column('mechanism_activities', 'advocacy_outcome')
    op.drop_column('mechanism_activities', 'women_groups')

    op.drop_table('partners')
