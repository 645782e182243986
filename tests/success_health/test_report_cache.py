"""The `health` report's kept result equals a fresh computation and follows every input."""

from __future__ import annotations

from datetime import datetime

from b2bgrowth.success.health import compute_health_report, health_report
from b2bgrowth.success.scorecards import versions
from b2bgrowth.success.scorecards.default import DEFAULT_DEFINITION
from b2bgrowth.voc.models import NpsResponse

from .planted_health import AS_OF

ONE_MEASURE = [{"name": "Usage", "weight": 1, "measures": [
    {"measure": "seats", "signal": "seat_utilisation", "good": 0.5, "poor": 0.1}]}]


def test_kept_result_equals_fresh_and_follows_inputs(planted):
    first = health_report(planted, AS_OF)
    assert first == compute_health_report(planted, AS_OF)
    files = list((planted.settings.derived_dir / "health_report").glob("*.pkl"))
    assert len(files) == 1
    # From memory, then from disk alone (a new process): equal, and each caller gets its own copy.
    again = health_report(planted, AS_OF)
    assert again == first and again is not first
    again["accounts"].clear()
    planted.cache.clear_memory()
    assert health_report(planted, AS_OF) == first
    # A new scorecard version changes the result at once: H1 is scored on seats alone (7/10 good → 100).
    versions.save(planted, {**DEFAULT_DEFINITION, "groups": ONE_MEASURE, "note": "only seats"}, by="ops")
    edited = health_report(planted, AS_OF)
    assert edited == compute_health_report(planted, AS_OF)
    assert {a["version"] for a in edited["accounts"]} == {1}
    # An NPS response dated after AS_OF: a new key, the same content (point in time).
    with planted.store.write(touched=["nps_responses"]) as session:
        session.add(NpsResponse(response_id="later", account_id="H1", score=0, at=datetime(2024, 7, 2, 9, 0)))
    assert health_report(planted, AS_OF) == edited
    assert len(list((planted.settings.derived_dir / "health_report").glob("*.pkl"))) == 3


def test_summary_is_the_report_without_breakdowns_and_follows_it(planted):
    from b2bgrowth.success.health import health_summary

    full = health_report(planted, AS_OF)
    summary = health_summary(planted, AS_OF)
    assert summary["accounts"] == [{k: v for k, v in a.items() if k != "measures"} for a in full["accounts"]]
    assert summary["scorecards"] == full["scorecards"] and summary["as_of"] == AS_OF
    # Callers may change what they get: the kept summary does not move.
    summary["accounts"][0]["reasons"].append("edited")
    summary["accounts"][0]["health_score"] = -1
    assert health_summary(planted, AS_OF)["accounts"] == [
        {k: v for k, v in a.items() if k != "measures"} for a in full["accounts"]]
    # A new scorecard version: the summary follows (H1 now scored on seats alone → 100).
    versions.save(planted, {**DEFAULT_DEFINITION, "groups": ONE_MEASURE, "note": "only seats"}, by="ops")
    after = {a["account_id"]: a for a in health_summary(planted, AS_OF)["accounts"]}
    assert after["H1"]["health_score"] == 100.0 and after["H1"]["version"] == 1
