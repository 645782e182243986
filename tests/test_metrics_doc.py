"""docs/metrics.md has a section for every field the revenue, nps, cohorts and ltv reports print."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from b2bgrowth.voc.models import NpsResponse
from tests.revenue.helpers import seed_example

DOC = Path(__file__).resolve().parents[1] / "docs" / "metrics.md"


def documented_names() -> set[str]:
    names: set[str] = set()
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            names.update(re.findall(r"`([a-z_][a-z0-9_]*)`", line))
    return names


def keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_every_report_field_has_a_section(sqlite_ws):
    ws = sqlite_ws
    seed_example(ws)
    with ws.store.write(touched=["nps_responses"]) as session:
        session.add(NpsResponse(response_id="r1", at=datetime(2024, 2, 3), account_id="A", score=9))
    span = {"from": "2024-01-01", "to": "2024-03-31"}
    fields = set()
    for name, params in (("revenue", {"period": "month"}), ("nps", {"period": "month"}), ("cohorts", {}),
                         ("ltv", {"period": "month"})):
        result = ws.report(name, **params, **span)
        fields |= keys(next(iter(result.values())))
    missing = sorted(fields - documented_names())
    assert not missing, f"docs/metrics.md lacks a section (### `name`) for: {', '.join(missing)}"
