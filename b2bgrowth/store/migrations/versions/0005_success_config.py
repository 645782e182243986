"""tier rules, onboarding milestones (issue 4)

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "tier_rules",
        sa.Column("tier", sa.String(8), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("min_arr", sa.Numeric(18, 4), nullable=True),
        sa.Column("min_employees", sa.Integer(), nullable=True),
        sa.Column("min_annual_revenue", sa.Numeric(18, 4), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("tier", name=op.f("pk_tier_rules")),
    )
    op.create_table(
        "onboarding_milestones",
        sa.Column("milestone_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("event", sa.String(128), nullable=True),
        sa.Column("threshold", sa.Integer(), nullable=False),
        sa.Column("window_days", sa.Integer(), nullable=True),
        sa.Column("target_days", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=True),
        sa.Column("updated_by", sa.String(128), nullable=True),
        sa.PrimaryKeyConstraint("milestone_id", name=op.f("pk_onboarding_milestones")),
    )


def downgrade() -> None:
    op.drop_table("onboarding_milestones")
    op.drop_table("tier_rules")
