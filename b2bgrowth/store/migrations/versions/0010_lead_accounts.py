"""leads: the account a lead belongs to (round 3)

leads.account_id (nullable, indexed): the company the lead works for when it is already an
account (an upsell, a new department). Set by import, the capture API, the lead page, the CLI,
and a won opportunity of the lead (b2bgrowth/leads/account_links.py).

Revision ID: 0010
Revises: 0009
"""
from alembic import op
import sqlalchemy as sa


revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('account_id', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_leads_account_id'), ['account_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('leads', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_leads_account_id'))
        batch_op.drop_column('account_id')
