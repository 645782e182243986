"""scorecard assignment and versions (issue 4)

Each save of a scorecard is a new (scorecard_id, version) row; these columns hold its colour
cut-offs and the editor's note.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('colors', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('note', sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('scorecards', schema=None) as batch_op:
        batch_op.drop_column('note')
        batch_op.drop_column('colors')
