"""The revenue capability's derived table: MRR movements and renewal chains."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from b2bgrowth.reporting.derived import DerivedTable, load

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

REVENUE_FACTS = "revenue_facts"


def _compute(ws: Workspace) -> dict[str, pd.DataFrame]:
    from b2bgrowth.revenue.facts import compute_chains, compute_movements, load_subscription_rows

    rows = load_subscription_rows(ws)
    return {"movements": compute_movements(rows), "chains": compute_chains(rows)}


REVENUE_FACTS_TABLE = DerivedTable(
    name=REVENUE_FACTS,
    # Movements and chains depend only on subscription rows and rates; segments are looked up
    # from accounts at report time, so editing an account does not invalidate them.
    depends_on=("subscriptions", "exchange_rates"),
    compute=_compute,
    version=1,
    description="MRR movements per account and day; renewal chains with their renewal gap",
)


def revenue_facts(ws: Workspace) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(movements, chains), up to date with the store."""
    parts = load(ws, REVENUE_FACTS)
    return parts["movements"], parts["chains"]
