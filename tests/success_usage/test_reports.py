"""Reports usage / account-users: fields documented in docs/metrics.md; bad input named."""

from __future__ import annotations

import re

import pytest

from tests.success_usage.planted import plant
from tests.test_metrics_doc import DOC, keys


def documented_names() -> set[str]:
    """Backticked names in docs/metrics.md headings (digits allowed: events_30d)."""
    return {n for line in DOC.read_text(encoding="utf-8").splitlines() if line.startswith("#")
            for n in re.findall(r"`([a-z0-9_]+)`", line)}


def test_reports_by_hand_and_documented(sqlite_ws):
    ws = sqlite_ws
    plant(ws)
    usage = ws.report("usage", **{"as-of": "2024-06-30"})
    a = next(r for r in usage["accounts"] if r["account_id"] == "A")
    assert (a["mau"], a["seats"], a["seat_utilisation"], a["last_active_day"]) == (3, 10, 0.3, "2024-06-30")
    users = ws.report("account-users", account="A", **{"as-of": "2024-06-30"})
    assert users["segments"] == {"champion": 1, "regular": 0, "occasional": 2, "dormant": 1}
    assert users["decision_makers"] == {"total": 1, "engaged": 1, "engaged_ids": ["A-c1"]}  # Ann, 30 active days
    missing = sorted((keys(usage) | keys(users)) - documented_names())
    assert not missing, f"docs/metrics.md lacks: {missing}"


def test_unknown_account_is_named(sqlite_ws):
    with pytest.raises(ValueError, match="no account 'nope'"):
        sqlite_ws.report("account-users", account="nope")
