"""docs/metrics.md documents every field the renewals, renewal-forecast and churn-model reports print."""

from __future__ import annotations

from datetime import date

from tests.success_risk.test_renewals import planted
from tests.test_metrics_doc import documented_names, keys


def test_renewal_report_fields_are_documented(sqlite_ws):
    planted(sqlite_ws)
    fields = set()
    for name, params in (("renewals", {"days": 90}), ("renewal-forecast", {}), ("churn-model", {})):
        fields |= keys(sqlite_ws.report(name, as_of=date(2024, 8, 15), **params))
    fields |= {"auc", "top_decile_precision", "calibration", "bin", "mean_predicted", "observed_rate", "weights",
               "feature", "weight", "cut", "train_snapshots", "test_snapshots", "train_examples", "test", "health"}
    missing = sorted(fields - documented_names())
    assert not missing, f"docs/metrics.md lacks a section for: {', '.join(missing)}"
