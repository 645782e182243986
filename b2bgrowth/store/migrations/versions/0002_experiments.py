"""experiments: assignments, exposures (issue 5)

Revision ID: 0002
Revises: 0001
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('name', sa.String(length=255), nullable=True))
        batch_op.add_column(sa.Column('roi', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('created_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('created_by', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('decided_at', sa.DateTime(), nullable=True))
    op.create_table('experiment_assignments',
    sa.Column('experiment_key', sa.String(length=64), nullable=False),
    sa.Column('unit_id', sa.String(length=64), nullable=False),
    sa.Column('variant', sa.String(length=64), nullable=False),
    sa.Column('stratum', sa.String(length=128), nullable=True),
    sa.Column('assigned_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['experiment_key'], ['experiments.key'], name=op.f('fk_experiment_assignments_experiment_key_experiments'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('experiment_key', 'unit_id', name=op.f('pk_experiment_assignments'))
    )


def downgrade() -> None:
    op.drop_table('experiment_assignments')
    with op.batch_alter_table('experiments', schema=None) as batch_op:
        batch_op.drop_column('decided_at')
        batch_op.drop_column('created_by')
        batch_op.drop_column('created_at')
        batch_op.drop_column('roi')
        batch_op.drop_column('name')
