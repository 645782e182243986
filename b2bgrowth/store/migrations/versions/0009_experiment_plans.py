"""experiments: who decided, planned dates (round 3)

experiments.decided_by (the deciding user), planned_start / planned_end (dates the set-up form
takes; they flag an overdue decision and do not change the analysis window).

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('decided_by', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('planned_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('planned_end', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.drop_column('planned_end')
        batch_op.drop_column('planned_start')
        batch_op.drop_column('decided_by')
