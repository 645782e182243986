"""pipeline stages, attribution (issue 3)

Revision ID: 0004
Revises: 0003
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pipeline_stages",
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("order", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("is_closed", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_pipeline_stages")),
    )
    op.create_table(
        "opportunity_stage_changes",
        sa.Column("change_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("opportunity_id", sa.String(64), nullable=False),
        sa.Column("from_stage", sa.String(64), nullable=True),
        sa.Column("to_stage", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("by", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("change_id", name=op.f("pk_opportunity_stage_changes")),
    )
    op.create_index(op.f("ix_opportunity_stage_changes_opportunity_id"), "opportunity_stage_changes",
                    ["opportunity_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_opportunity_stage_changes_opportunity_id"), table_name="opportunity_stage_changes")
    op.drop_table("opportunity_stage_changes")
    op.drop_table("pipeline_stages")
