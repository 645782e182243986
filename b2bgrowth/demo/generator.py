"""The demo company: a realistic B2B SaaS business, deterministic by seed.

    from b2bgrowth.demo.generator import generate_company
    summary = generate_company(ws, size="S", seed=42)

History runs three years up to DEMO_TODAY (a fixed date, so the same seed gives the same rows
on any day). Everything draws from one numpy Generator in a fixed order; each part gets its own
child generator (`spawn`) so adding rows to one part never shifts the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from b2bgrowth.demo import community, contracts, experiments, firmographics, marketing, usage, vocab
from b2bgrowth.demo.writer import DemoError, ensure_empty, insert_rows

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

DEMO_TODAY = date(2026, 11, 30)
HISTORY_START = date(2023, 12, 1)
HORIZON = (DEMO_TODAY - HISTORY_START).days  # day index of DEMO_TODAY

# accounts, usage events (approximate; Poisson around the target), marketing cost scale
SIZES = {
    "XS": (50, 3_000, 0.1),
    "S": (500, 200_000, 1.0),
    "M": (10_000, 5_000_000, 8.0),
    "L": (100_000, 50_000_000, 40.0),
}

Progress = Callable[[str, int, int], None]  # (step label, units done so far, total units)

__all__ = ["DemoError", "DemoSummary", "generate_company", "SIZES", "DEMO_TODAY", "HISTORY_START"]


@dataclass
class DemoSummary:
    size: str
    seed: int
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    today: date = DEMO_TODAY


def _model(name: str):
    from b2bgrowth.store.base import model_class

    return model_class(name)


def generate_company(ws: Workspace, size: str = "S", seed: int = 42, progress: Progress | None = None,
                     events: int | None = None) -> DemoSummary:
    """Generate the demo company into `ws` (an empty store). `events` overrides the size's event count."""
    size = size.upper()
    if size not in SIZES:
        raise DemoError(f"unknown demo size {size!r}; choose one of {', '.join(SIZES)}")
    n_accounts, target_events, cost_scale = SIZES[size]
    if events is not None:
        target_events = int(events)
    ensure_empty(ws)
    began = time.perf_counter()
    report = progress or (lambda *_: None)
    summary = DemoSummary(size=size, seed=seed)
    root = np.random.default_rng(seed)
    g_accounts, g_contacts, g_contracts, g_market, g_pipeline, g_nps, g_events, g_community = root.spawn(8)

    report("accounts", 0, 1)
    frame = firmographics.draw_accounts(g_accounts, n_accounts, HORIZON)
    book = contracts.simulate_contracts(g_contracts, frame, HISTORY_START, HORIZON)
    contact_list = firmographics.contact_rows(g_contacts, frame, HISTORY_START)
    tables: list[tuple[str, list[dict]]] = [
        ("Account", firmographics.account_rows(frame, HISTORY_START, book.lifecycle)),
        ("Contact", contact_list),
        ("ExchangeRate", [{"currency": c, "rate": r} for c, r in vocab.EXCHANGE_RATES.items()]),
        ("Subscription", book.rows),
    ]
    report("sales and marketing", 0, 1)
    campaign_list = marketing.campaign_rows(g_market, HISTORY_START, HORIZON + 1, cost_scale)
    leads, touches, opps = marketing.pipeline_rows(g_pipeline, frame, book, contact_list, campaign_list,
                                                   HISTORY_START, HORIZON)
    groups, members, messages = community.community_rows(g_community, contact_list, HISTORY_START, HORIZON)
    tables += [
        ("Channel", marketing.channel_rows()),
        ("ChannelCost", marketing.channel_cost_rows(g_market, HISTORY_START, HORIZON + 1, cost_scale)),
        ("Campaign", campaign_list),
        ("Lead", leads), ("Touch", touches), ("Opportunity", opps),
        ("OpportunityStageChange", marketing.stage_history_rows(opps)),
        ("NpsResponse", usage.nps_rows(g_nps, frame, book, contact_list, HISTORY_START, HORIZON)),
        ("CommunityGroup", groups), ("CommunityMember", members), ("CommunityMessage", messages),
        ("Requirement", community.requirement_rows(g_community, [str(a) for a in frame.ids], HISTORY_START, HORIZON)),
    ]

    total_rows = sum(len(rows) for _, rows in tables)
    written = 0
    for model_name, rows in tables:
        model = _model(model_name)
        label = f"writing {model.__tablename__}"

        def advance(n: int, label: str = label) -> None:
            nonlocal written
            written += n
            report(label, written, total_rows)

        summary.counts[model.__tablename__] = insert_rows(ws, model, rows, on_chunk=advance)

    summary.counts["events"] = 0
    for table in usage.event_batches(g_events, frame, book, HISTORY_START, HORIZON, target_events):
        ws.events.ingest_arrow(table)
        summary.counts["events"] += table.num_rows
        report("writing events", summary.counts["events"], target_events)
    if summary.counts["events"]:
        ws.events.flush()
    experiments.plant_experiments(ws, seed, DEMO_TODAY, summary.counts)
    summary.seconds = time.perf_counter() - began
    return summary
