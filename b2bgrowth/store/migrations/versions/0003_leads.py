"""leads: merges, transitions, scores, assignment rules, forms (issue 3)

Revision ID: 0003
Revises: 0002
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner', sa.String(length=128), nullable=True))
        batch_op.add_column(sa.Column('assigned_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('disqualification_reason', sa.Text(), nullable=True))
        batch_op.create_index('ix_leads_owner', ['owner'], unique=False)

    op.create_table('lead_merges',
    sa.Column('merge_id', sa.String(length=64), nullable=False),
    sa.Column('lead_id', sa.String(length=64), nullable=True),
    sa.Column('a', sa.String(length=64), nullable=False),
    sa.Column('b', sa.String(length=64), nullable=False),
    sa.Column('rule', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=512), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=True),
    sa.Column('undone', sa.Boolean(), nullable=False),
    sa.Column('undone_by', sa.String(length=128), nullable=True),
    sa.Column('undone_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('merge_id', name='pk_lead_merges')
    )
    with op.batch_alter_table('lead_merges', schema=None) as batch_op:
        batch_op.create_index('ix_lead_merges_lead_id', ['lead_id'], unique=False)
        batch_op.create_index('ix_lead_merges_a', ['a'], unique=False)
        batch_op.create_index('ix_lead_merges_b', ['b'], unique=False)

    op.create_table('lead_transitions',
    sa.Column('transition_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('lead_id', sa.String(length=64), nullable=False),
    sa.Column('from_status', sa.String(length=16), nullable=True),
    sa.Column('to_status', sa.String(length=16), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('by', sa.String(length=128), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('transition_id', name='pk_lead_transitions')
    )
    with op.batch_alter_table('lead_transitions', schema=None) as batch_op:
        batch_op.create_index('ix_lead_transitions_lead_id', ['lead_id'], unique=False)
        batch_op.create_index('ix_lead_transitions_at', ['at'], unique=False)

    op.create_table('assignment_rules',
    sa.Column('rule_id', sa.String(length=64), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=16), nullable=False),
    sa.Column('value', sa.String(length=255), nullable=True),
    sa.Column('owners', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('rule_id', name='pk_assignment_rules')
    )

    op.create_table('web_forms',
    sa.Column('form_id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=255), nullable=False),
    sa.Column('channel', sa.String(length=64), nullable=True),
    sa.Column('campaign_id', sa.String(length=64), nullable=True),
    sa.Column('consent_text', sa.Text(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=True),
    sa.PrimaryKeyConstraint('form_id', name='pk_web_forms')
    )

    op.create_table('form_submissions',
    sa.Column('submission_id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('form_id', sa.String(length=64), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('lead_id', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('submission_id', name='pk_form_submissions')
    )
    with op.batch_alter_table('form_submissions', schema=None) as batch_op:
        batch_op.create_index('ix_form_submissions_form_id', ['form_id'], unique=False)
        batch_op.create_index('ix_form_submissions_at', ['at'], unique=False)
        batch_op.create_index('ix_form_submissions_ip', ['ip'], unique=False)


def downgrade() -> None:
    op.drop_table('form_submissions')
    op.drop_table('web_forms')
    op.drop_table('assignment_rules')
    op.drop_table('lead_transitions')
    op.drop_table('lead_merges')
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index('ix_leads_owner')
        batch_op.drop_column('disqualification_reason')
        batch_op.drop_column('assigned_at')
        batch_op.drop_column('owner')
