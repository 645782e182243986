"""Segments: accounts grouped by the current value of one of their attributes.

Any column of `accounts` (tier, industry, region, type, owner, …) or any custom attribute kept
in `Account.attributes` (extra import columns) can segment a report. Accounts missing the
attribute fall in the segment None (JSON null). Without a segment every account is in "all".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import select

from b2bgrowth.accounts.models import Account

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

ALL = "all"
# Columns that identify rather than describe an account: segmenting by them makes no sense.
NOT_SEGMENTS = {"account_id", "name", "attributes", "created_at"}


def segment_columns() -> list[str]:
    return [c.name for c in Account.__table__.columns if c.name not in NOT_SEGMENTS]


def _label(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def segment_of_accounts(ws: Workspace, attribute: str | None) -> dict[str, str | None] | None:
    """account_id → segment label for every account; None when the report is not segmented.

    Raises ValueError naming the attribute when no column or custom attribute has that name.
    """
    if attribute is None:
        return None
    attribute = attribute.strip()
    table = Account.__table__
    with ws.store.engine.connect() as conn:
        if attribute in segment_columns():
            values = conn.execute(select(table.c.account_id, table.c[attribute]))
            return {account_id: _label(value) for account_id, value in values}
        rows = conn.execute(select(table.c.account_id, table.c.attributes)).all()
    found = False
    labels: dict[str, str | None] = {}
    for account_id, attributes in rows:
        value = attributes.get(attribute) if isinstance(attributes, dict) else None
        found = found or (isinstance(attributes, dict) and attribute in attributes)
        labels[account_id] = _label(value)
    if not found:
        raise ValueError(
            f"segment: no account attribute named {attribute!r}; use a column "
            f"({', '.join(segment_columns())}) or a custom attribute an imported file added"
        )
    return labels


def sort_segments(values) -> list:
    """Segment labels in a stable order, the missing-attribute segment (None) last."""
    return sorted(set(values), key=lambda v: (v is None, v or ""))
