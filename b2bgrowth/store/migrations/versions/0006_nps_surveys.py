"""NPS surveys and recipients (issue 4)

Revision ID: 0006
Revises: 0005
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "nps_surveys",
        sa.Column("survey_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(255), nullable=False),
        sa.Column("question_zh", sa.Text(), nullable=False),
        sa.Column("question_en", sa.Text(), nullable=False),
        sa.Column("follow_up_zh", sa.Text(), nullable=True),
        sa.Column("follow_up_en", sa.Text(), nullable=True),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(128), nullable=True),
        sa.Column("filters", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("survey_id", name=op.f("pk_nps_surveys")),
    )
    op.create_table(
        "nps_survey_recipients",
        sa.Column("recipient_id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("survey_id", sa.String(64), nullable=False),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("contact_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(64), nullable=True),
        sa.Column("language", sa.String(8), nullable=True),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.Column("reminders", sa.Integer(), nullable=False),
        sa.Column("last_reminded_at", sa.DateTime(), nullable=True),
        sa.Column("responded_at", sa.DateTime(), nullable=True),
        sa.Column("response_id", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["survey_id"], ["nps_surveys.survey_id"],
                                name=op.f("fk_nps_survey_recipients_survey_id_nps_surveys")),
        sa.PrimaryKeyConstraint("recipient_id", name=op.f("pk_nps_survey_recipients")),
        sa.UniqueConstraint("survey_id", "contact_id", name=op.f("uq_nps_survey_recipients_survey_id")),
        sa.UniqueConstraint("token", name=op.f("uq_nps_survey_recipients_token")),
    )
    op.create_index(op.f("ix_nps_survey_recipients_survey_id"), "nps_survey_recipients", ["survey_id"], unique=False)
    op.create_index(op.f("ix_nps_survey_recipients_account_id"), "nps_survey_recipients", ["account_id"],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_nps_survey_recipients_account_id"), table_name="nps_survey_recipients")
    op.drop_index(op.f("ix_nps_survey_recipients_survey_id"), table_name="nps_survey_recipients")
    op.drop_table("nps_survey_recipients")
    op.drop_table("nps_surveys")
