"""playbooks and CS task changes (issue 4)

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "cs_playbook_rules",
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("due_days", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("rule_id", name=op.f("pk_cs_playbook_rules")),
    )
    with op.batch_alter_table("cs_tasks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rule_id", sa.String(64), nullable=True))
        batch_op.add_column(sa.Column("signal_date", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("signal", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))
        batch_op.create_index(batch_op.f("ix_cs_tasks_rule_id"), ["rule_id"], unique=False)
        # One task per signal, enforced by the database (see CsTask.signal_key).
        batch_op.drop_index(batch_op.f("ix_cs_tasks_signal_key"))
        batch_op.create_index(batch_op.f("ix_cs_tasks_signal_key"), ["signal_key"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("cs_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cs_tasks_signal_key"))
        batch_op.create_index(batch_op.f("ix_cs_tasks_signal_key"), ["signal_key"], unique=False)
        batch_op.drop_index(batch_op.f("ix_cs_tasks_rule_id"))
        batch_op.drop_column("closed_at")
        batch_op.drop_column("updated_at")
        batch_op.drop_column("signal")
        batch_op.drop_column("signal_date")
        batch_op.drop_column("rule_id")
    op.drop_table("cs_playbook_rules")
