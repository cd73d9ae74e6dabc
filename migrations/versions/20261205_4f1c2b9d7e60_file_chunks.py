"""file chunks

Attachments and activity files may live in the database (PALABRE_FILE_STORAGE=database), so
that every app server behind one PostgreSQL serves them: `file_chunks` holds their bytes in
chunks of at most 1 MB, keyed by the stored name their row carries and the chunk's number.
On PostgreSQL the chunks are kept out of line and uncompressed (STORAGE EXTERNAL): PDF, JPEG
and PNG are compressed already, and a download reads them without decompressing.

Revision ID: 4f1c2b9d7e60
Revises: 7c3e9a1f0b25
Create Date: 2026-12-05 00:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '4f1c2b9d7e60'
down_revision = '7c3e9a1f0b25'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('file_chunks',
    sa.Column('stored_name', sa.String(length=64), nullable=False),
    sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.PrimaryKeyConstraint('stored_name', 'seq', name=op.f('pk_file_chunks'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('ALTER TABLE file_chunks ALTER COLUMN data SET STORAGE EXTERNAL')


def downgrade():
    # Dropping the table would lose every file stored in it: move them out first.
    if op.get_bind().execute(sa.text('SELECT 1 FROM file_chunks LIMIT 1')).first():
        raise RuntimeError('file_chunks holds files: move them to the directory first '
                           '(flask move-files --to directory), then downgrade.')
    op.drop_table('file_chunks')
