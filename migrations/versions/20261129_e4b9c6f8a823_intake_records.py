"""intake records

Cases now also come from outside the intake screen: KoboToolbox / ODK submissions imported from
a file, and SMS sent to a gateway. `intake_records` keeps, for each such case, its source and
its identifier there (the submission's `_uuid`, unique per source, so that importing the same
file twice opens nothing the second time), who submitted it and when, who imported it, and
whether it still waits for a mediator's check (an SMS names no party). A table of its own
rather than columns on `cases`: most cases never have one, and the case list never reads it.

Revision ID: e4b9c6f8a823
Revises: f5c1d7a9b934
Create Date: 2026-11-29 06:14:58.837464

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e4b9c6f8a823'
down_revision = 'f5c1d7a9b934'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('intake_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('external_id', sa.String(length=80), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('submitted_by', sa.String(length=160), nullable=True),
    sa.Column('imported_by_id', sa.Integer(), nullable=False),
    sa.Column('imported_at', sa.DateTime(), nullable=False),
    sa.Column('to_verify', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_intake_records_case_id_cases')),
    sa.ForeignKeyConstraint(['imported_by_id'], ['users.id'], name=op.f('fk_intake_records_imported_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_intake_records')),
    sa.UniqueConstraint('case_id', name=op.f('uq_intake_records_case_id')),
    sa.UniqueConstraint('source', 'external_id', name=op.f('uq_intake_records_source_external_id')),
    sqlite_autoincrement=True
    )


def downgrade():
    op.drop_table('intake_records')
