"""Response rates, NPS by tier / role / stage and period, verbatim search — arithmetic by hand."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from seed import T0, tokens

from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.voc.surveys import service
from b2bgrowth.voc.surveys.analysis import _group, _nps_cells

FEB, MAY, HOUR = datetime(2025, 2, 10, 10), datetime(2025, 5, 10, 10), timedelta(hours=1)
# contact → (score, comment, when)
ANSWERS = {"C1": (10, "Great support team", FEB), "C2": (6, "Export is slow", FEB), "C4": (9, None, MAY),
           "C5": (8, "还行，导出功能很好用", MAY + HOUR), "C6": (3, "报表导出太慢了 100%", MAY + 2 * HOUR),
           "C8": (10, "导出很快", MAY + 3 * HOUR)}


@pytest.fixture
def answered(company):
    service.create_survey(company, "All", survey_id="all", now=T0)
    service.add_recipients(company, "all", {}, now=T0)                        # C1..C8
    service.set_status(company, "all", "open")
    links = tokens(company, "all")
    for contact, (score, comment, at) in ANSWERS.items():
        service.respond(company, links[contact], score, comment, now=at)
    # One response from elsewhere (imported): A1 / C1, a detractor in May with a comment.
    with company.store.write(touched=["nps_responses"]) as s:
        s.add(NpsResponse(response_id="N1", at=datetime(2025, 5, 20), account_id="A1", contact_id="C1", score=0,
                          comment="价格太贵，导出也慢"))
    return company


def test_response_rate_and_nps_overall_and_by_tier_and_role(answered):
    summary = answered.report("survey", survey="all")["survey"]
    # 8 recipients, 6 answered → 6/8 = 0.75. Promoters C1, C4, C8 (3), passive C5, detractors C2, C6 (2):
    # NPS = 100 × (3 − 2) / 6 = 16.67.
    assert (summary["recipients"], summary["responded"], summary["response_rate"]) == (8, 6, 0.75)
    assert (summary["promoters"], summary["passives"], summary["detractors"], summary["nps"]) == (3, 1, 2, 16.67)
    by_tier = {r["segment"]: r for r in summary["by_tier"]}
    # KA: C1 10, C2 6, C3 no answer → rate 2/3, NPS 100 × (1 − 1)/2 = 0. CA: 9, 8 → 2/2, NPS 100 × 1/2 = 50.
    # SMB: C6 3, C7 no answer → 1/2, NPS −100. No account (C8): 10 → 1/1, NPS 100.
    assert [(k, v["recipients"], v["responded"], v["response_rate"], v["nps"]) for k, v in by_tier.items()] == [
        ("CA", 2, 2, 1.0, 50.0), ("KA", 3, 2, 0.6667, 0.0), ("SMB", 2, 1, 0.5, -100.0), (None, 1, 1, 1.0, 100.0)]
    by_role = {r["segment"]: (r["recipients"], r["responded"], r["response_rate"], r["nps"]) for r in summary["by_role"]}
    # decision makers C1 10, C4 9 → NPS 100; users C2 6, C5 8, C6 3, C8 10 → 100 × (1 − 2)/4 = −25;
    # manager C3 and purchaser C7 never answered → rate 0, NPS null.
    assert by_role == {"decision_maker": (2, 2, 1.0, 100.0), "manager": (1, 0, 0.0, None),
                       "purchaser": (1, 0, 0.0, None), "user": (4, 4, 1.0, -25.0)}


def test_surveys_report_lists_each_survey(answered):
    [row] = answered.report("surveys")["surveys"]
    assert (row["survey_id"], row["recipients"], row["responded"], row["nps"]) == ("all", 8, 6, 16.67)


def test_nps_breakdown_by_tier_per_quarter_all_sources_and_one_survey(answered):
    span = {"from": "2025-01-01", "to": "2025-06-30", "period": "quarter"}
    every = answered.report("nps-breakdown", by="tier", **span)["periods"]
    cell = {(r["period_start"], r["segment"]): (r["responses"], r["nps"]) for r in every}
    # Q1: KA C1 10 + C2 6 → 0. Q2: KA only the imported N1 (0) → −100; CA 9, 8 → 50; SMB 3 → −100; none 10 → 100.
    assert cell[("2025-01-01", "KA")] == (2, 0.0)
    assert cell[("2025-01-01", "CA")] == (0, None)
    assert cell[("2025-04-01", "KA")] == (1, -100.0)
    assert cell[("2025-04-01", "CA")] == (2, 50.0)
    assert cell[("2025-04-01", "SMB")] == (1, -100.0)
    assert cell[("2025-04-01", None)] == (1, 100.0)
    assert len(every) == 2 * 4                                                  # 2 quarters × {CA, KA, SMB, none}
    only = answered.report("nps-breakdown", by="tier", survey="all", **span)["periods"]
    assert {(r["period_start"], r["segment"]): r["responses"] for r in only}[("2025-04-01", "KA")] == 0


def test_nps_breakdown_by_role_and_stage(answered):
    span = {"from": "2025-04-01", "to": "2025-06-30", "period": "quarter"}
    role = {r["segment"]: (r["responses"], r["nps"]) for r in answered.report("nps-breakdown", by="role", **span)["periods"]}
    # Q2 decision makers: C4 9 and N1 (C1) 0 → 100 × (1 − 1)/2 = 0; users C5 8, C6 3, C8 10 → 100 × (1 − 1)/3 = 0.
    assert role == {"decision_maker": (2, 0.0), "user": (3, 0.0)}
    stage = {r["segment"]: (r["responses"], r["nps"]) for r in answered.report("nps-breakdown", by="stage", **span)["periods"]}
    # adopting (A2) 9, 8 → 50; mature (A1) N1 0 → −100; onboarding (A3) 3 → −100; no account 10 → 100.
    assert stage == {"adopting": (2, 50.0), "mature": (1, -100.0), "onboarding": (1, -100.0), None: (1, 100.0)}


def test_breakdown_bad_parameters(answered):
    with pytest.raises(ValueError, match="no survey 'nope'"):
        answered.report("nps-breakdown", survey="nope")
    with pytest.raises(Exception, match="by"):
        answered.report("nps-breakdown", by="colour")


@pytest.mark.parametrize("query, expected", [
    ({"q": "导出"}, ["N1", "C8", "C6", "C5"]),                     # Chinese substring, newest first
    ({"q": "导出", "band": "detractors"}, ["N1", "C6"]),
    ({"q": "导出", "band": "detractors", "survey": "all"}, ["C6"]),
    ({"q": "GREAT"}, ["C1"]),                                     # case-insensitive
    ({"q": "%"}, ["C6"]),                                         # LIKE wildcards are literal
    ({"q": "slow", "from": "2025-03-01"}, []),
    ({"band": "passives"}, ["C5"]),
])
def test_verbatim_search(answered, query, expected):
    found = answered.report("verbatims", **query)
    ids = [v["contact_id"] if v["response_id"].startswith("survey-") else v["response_id"] for v in found["verbatims"]]
    assert ids == expected and found["total"] == len(expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["KA", "CA", None]), st.one_of(st.none(), st.integers(0, 10))), max_size=40))
def test_group_invariants(rows):
    rows = [{"tier": t, "score": s} for t, s in rows]
    groups = _group(rows, "tier")
    assert sum(g["recipients"] for g in groups) == len(rows)
    assert sum(g["responded"] for g in groups) == sum(r["score"] is not None for r in rows)
    for g in groups:
        assert g["promoters"] + g["passives"] + g["detractors"] == g["responses"] == g["responded"]
        assert g["nps"] is None or -100 <= g["nps"] <= 100
        assert g["response_rate"] is None or 0 <= g["response_rate"] <= 1
    overall = _nps_cells([r["score"] for r in rows if r["score"] is not None])
    assert overall["responses"] == sum(g["responses"] for g in groups)


def test_every_report_field_is_documented(answered):
    doc = (Path(__file__).resolve().parents[2] / "docs" / "metrics.md").read_text(encoding="utf-8")
    assert "## Customer success — NPS surveys" in doc
    documented = set(re.findall(r"`([a-z_]+)`", "\n".join(line for line in doc.splitlines() if line.startswith("#"))))

    def keys(value):
        if isinstance(value, dict):
            return set(value) | {k for v in value.values() for k in keys(v)}
        if isinstance(value, list):
            return {k for v in value for k in keys(v)}
        return set()

    fields = set()
    for name, params in (("surveys", {}), ("survey", {"survey": "all"}), ("verbatims", {"q": "导出"}),
                         ("nps-breakdown", {"from": "2025-01-01", "to": "2025-06-30"})):
        fields |= keys(answered.report(name, **params))
    assert not sorted(fields - documented), f"metrics.md lacks: {sorted(fields - documented)}"
