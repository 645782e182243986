"""Whether an account exists: what an account panel of another capability checks before it shows
anything (a panel for an unknown account is a 404, like the account page)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from b2bgrowth.accounts.models import Account

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


def account_exists(ws: Workspace, account_id: str) -> bool:
    with ws.store.read() as session:
        return session.get(Account, account_id) is not None
