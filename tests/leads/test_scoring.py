"""Lead scoring: BANT parsing, fit-rule arithmetic, engagement decay, grades, MQL, config, report."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from b2bgrowth.leads.bant import BantError, parse_authority, parse_bant_frame, parse_budget, parse_need, parse_timeline
from b2bgrowth.leads.scoring import decayed_points, fit_reasons, fit_scores, grades, is_mql, score_frame
from b2bgrowth.leads.scoring_config import ScoringConfigError, default_config, load_config
from tests.leads.helpers import add_leads, add_touches

NOW = datetime(2024, 6, 30, 12, 0)


# -- BANT ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, kind, amount", [
    ("yes", "yes", None), ("YES ", "yes", None), ("有", "yes", None), ("有预算", "yes", None),
    ("no", "no", None), ("无", "no", None), ("没有", "no", None),
    ("unknown", "unknown", None), ("未知", "unknown", None), ("待定", "unknown", None),
    ("50000", "amount", 50000.0), ("50,000", "amount", 50000.0), ("¥50,000", "amount", 50000.0),
    ("5万", "amount", 50000.0), ("5万元", "amount", 50000.0), ("50k", "amount", 50000.0), ("1.2m", "amount", 1.2e6),
])
def test_budget_forms(raw, kind, amount):
    parsed = parse_budget(raw)
    assert (parsed.kind, parsed.amount) == (kind, amount)


@pytest.mark.parametrize("raw, expected", [
    ("yes", "yes"), ("是", "yes"), ("决策人", "yes"), ("no", "no"), ("否", "no"), ("非决策人", "no"), ("未知", "unknown"),
])
def test_authority_forms(raw, expected):
    assert parse_authority(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("high", "high"), ("Medium", "medium"), ("low", "low"), ("高", "high"), ("中", "medium"), ("低", "low"),
    ("替换Excel手工统计", "text"), ("needs a CRM", "text"),
])
def test_need_forms(raw, expected):
    assert parse_need(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("<3m", "<3m"), ("3-6m", "3-6m"), (">6m", ">6m"), ("unknown", "unknown"),
    ("3个月内", "<3m"), ("3-6个月", "3-6m"), ("6个月以上", ">6m"), ("未知", "unknown"),
    ("2", "<3m"), ("3", "3-6m"), ("6 months", "3-6m"), ("7个月", ">6m"),
    # From 2024-01-01: 2024-02-15 is 45 days = 1.5 months; 2024-05-01 is 121 days ≈ 3.98; 2024-09-01 ≈ 8.0.
    ("2024-02-15", "<3m"), ("2024/05/01", "3-6m"), ("2024-09-01", ">6m"), ("2023-06-01", "<3m"),
])
def test_timeline_forms(raw, expected):
    assert parse_timeline(raw, reference=date(2024, 1, 1)) == expected


@pytest.mark.parametrize("parse, raw, field", [
    (parse_budget, "maybe", "budget"), (parse_budget, "5 euros-ish", "budget"),
    (parse_authority, "sometimes", "authority"), (parse_timeline, "soon", "timeline"),
    (parse_timeline, "2024-13-45", "timeline"),
])
def test_bad_bant_values_name_field_and_value(parse, raw, field):
    with pytest.raises(BantError) as caught:
        parse(raw)
    assert str(caught.value).startswith(f"{field}: {raw!r} is not")


def test_empty_bant_is_not_asked_yet():
    assert parse_budget("  ") is None and parse_authority(None) is None and parse_timeline("") is None


def test_bant_frame_reads_stored_bad_values_as_missing_unless_strict():
    leads = pd.DataFrame({"created_at": [datetime(2024, 1, 1)] * 2, "budget": ["5万", "maybe"],
                          "authority": ["yes", None], "need": ["高", None], "timeline": ["2024-02-15", "3-6个月"]})
    bant = parse_bant_frame(leads)
    assert bant["budget_kind"].iloc[0] == "amount" and pd.isna(bant["budget_kind"].iloc[1])
    assert bant["budget_amount"].iloc[0] == 50000.0
    assert bant["timeline_bucket"].tolist() == ["<3m", "3-6m"]
    with pytest.raises(BantError, match="maybe"):
        parse_bant_frame(leads, strict=True)


# -- fit ------------------------------------------------------------------------------------------

def _frame(**columns) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {c: [None] * n for c in ("industry", "region", "title", "channel", "budget", "authority", "need", "timeline")}
    base.update({"lead_id": [f"L{i}" for i in range(n)], "status": ["new"] * n,
                 "created_at": [datetime(2024, 1, 1)] * n, "employees": [None] * n})
    base.update(columns)
    return pd.DataFrame(base)


def test_fit_rules_arithmetic():
    frame = _frame(
        employees=[600, 60, None, 10],
        title=["CEO", "总经理", None, "IT经理"],
        budget=["yes", "5万", None, "no"],
        authority=["yes", "no", None, "yes"],
        need=["high", "替换Excel", None, "low"],
        timeline=["<3m", "4", None, ">6m"],
    )
    fit, bits = fit_scores(frame, default_config())
    # L0: 20 (500+) + 20 (decision title) + 15 budget + 15 authority + 15 high need + 15 <3m = 100
    # L1: 12 (50-499) + 20 (总经理 is a decision maker; the manager rule in the same group does not add)
    #     + 15 (an amount is a budget) + 0 + 8 (written need) + 8 (4 months = 3-6m) = 63
    # L2: nothing known = 0
    # L3: 5 (<50) + 10 (manager) + 0 + 15 + 2 (low need) + 2 (>6m) = 34
    assert fit.tolist() == [100.0, 63.0, 0.0, 34.0]
    labels = [r["text"] for r in fit_reasons(bits[1], default_config())]
    assert labels == ["50-499 employees", "decision-maker title", "budget confirmed", "stated need", "buying in 3-6 months"]


def test_fit_is_clipped_to_0_100(tmp_path):
    (tmp_path / "lead-scoring.json").write_text(json.dumps({"fit_rules": [
        {"field": "employees", "op": "gte", "value": 1, "points": 80, "label": "any size"},
        {"field": "industry", "op": "in", "value": ["Manufacturing"], "points": 40, "label": "target industry"},
        {"field": "region", "op": "eq", "value": "north", "points": -30, "label": "not covered"},
    ]}))
    config = load_config(tmp_path)
    fit, _ = fit_scores(_frame(employees=[5, 5], industry=["manufacturing", None], region=[None, "North"]), config)
    # L0: 80 + 40 = 120 → 100 (case-insensitive industry match); L1: 80 − 30 = 50
    assert fit.tolist() == [100.0, 50.0]


# -- engagement -----------------------------------------------------------------------------------

def test_engagement_halves_every_half_life():
    touches = pd.DataFrame({"kind": ["demo", "demo", "demo", "email", "visit"],
                            "at": [NOW - timedelta(days=30), NOW - timedelta(days=60), NOW, NOW + timedelta(days=2),
                                   NOW - timedelta(days=15)]})
    points = decayed_points(touches, default_config().touch_points, 30.0, NOW)
    # demo = 10: 30 days → 10 × 0.5 = 5.0; 60 days → 2.5; today → 10; email 2 in the future counts as today;
    # visit 1 at 15 days → 1 × 0.5^0.5 = 0.7071
    assert np.allclose(points, [5.0, 2.5, 10.0, 2.0, 2 ** -0.5])


def test_engagement_score_per_lead_sums_and_caps():
    config = default_config()
    frame = _frame(employees=[None, None, None])
    touches = pd.DataFrame({"lead_id": ["L0", "L0", "L1"] + ["L2"] * 12, "kind": ["demo", "meeting", "call"] + ["demo"] * 12,
                            "at": [NOW - timedelta(days=30), NOW - timedelta(days=60), NOW] + [NOW] * 12})
    scores = score_frame(frame, touches, config, NOW)
    # L0: 5.0 + 2.5 = 7.5; L1: a call today = 5; L2: 12 demos today = 120 → capped at 100
    assert scores["engagement_score"].tolist() == [7.5, 5.0, 100.0]


@settings(max_examples=50, deadline=None)
@given(age=st.floats(min_value=0, max_value=3000), half_life=st.floats(min_value=1, max_value=365))
def test_decay_one_half_life_later_is_half(age, half_life):
    t = pd.DataFrame({"kind": ["demo", "demo"], "at": [NOW - timedelta(days=age), NOW - timedelta(days=age + half_life)]})
    now_value, older = decayed_points(t, {"demo": 10.0}, half_life, NOW)
    assert older == pytest.approx(now_value / 2, rel=1e-6, abs=1e-12)


# -- grades and MQL -------------------------------------------------------------------------------

def test_grade_boundaries():
    config = default_config()  # fit A ≥ 75, B ≥ 50, C ≥ 25; engagement 1 ≥ 50, 2 ≥ 25, 3 ≥ 10
    fit = np.array([100, 75, 74.99, 50, 49.99, 25, 24.99, 0])
    eng = np.array([100, 50, 49.99, 25, 24.99, 10, 9.99, 0])
    assert grades(fit, eng, config).tolist() == ["A1", "A1", "B2", "B2", "C3", "C3", "D4", "D4"]


def test_mql_threshold():
    config = default_config()  # MQL: fit ≥ 50 and engagement ≥ 30
    fit = np.array([50, 49.99, 80, 80])
    eng = np.array([30, 90, 29.99, 31])
    assert is_mql(fit, eng, config).tolist() == [True, False, False, True]


@settings(max_examples=40, deadline=None)
@given(fit=st.floats(0, 100), eng=st.floats(0, 100))
def test_grade_is_monotone(fit, eng):
    config = default_config()
    g = grades(np.array([fit, min(100, fit + 10)]), np.array([eng, min(100, eng + 10)]), config)
    assert g[1][0] <= g[0][0] and g[1][1] <= g[0][1]  # "A" < "B" and "1" < "2": never worse with more


# -- configuration --------------------------------------------------------------------------------

def test_config_overrides_from_the_data_dir(tmp_path):
    (tmp_path / "lead-scoring.json").write_text(json.dumps(
        {"touch_points": {"demo": 20}, "half_life_days": 60, "mql": {"fit": 40, "engagement": 10}}))
    config = load_config(tmp_path)
    t = pd.DataFrame({"kind": ["demo", "call"], "at": [NOW - timedelta(days=60)] * 2})
    # demo 20 × 0.5 (60 days, half-life 60) = 10; call is no longer configured = 0
    assert decayed_points(t, config.touch_points, config.half_life_days, NOW).tolist() == [10.0, 0.0]
    assert config.mql.engagement == 10 and len(config.fit_rules) == len(default_config().fit_rules)


def test_yaml_config(tmp_path):
    (tmp_path / "lead-scoring.yaml").write_text("half_life_days: 14\nbands:\n  fit: [80, 60, 40]\n")
    config = load_config(tmp_path)
    assert config.half_life_days == 14 and config.bands.fit == (80, 60, 40)


@pytest.mark.parametrize("content, words", [
    ({"half_life_days": -1}, "half_life_days"),
    ({"fit_rules": [{"field": "salary", "op": "gte", "value": 1, "points": 1, "label": "x"}]}, "fit_rules.0.field"),
    ({"fit_rules": [{"field": "title", "op": "contains_any", "value": "ceo", "points": 1, "label": "t"}]}, "list value"),
    ({"touch_pionts": {}}, "touch_pionts"),
])
def test_bad_config_names_file_and_field(tmp_path, content, words):
    (tmp_path / "lead-scoring.json").write_text(json.dumps(content))
    with pytest.raises(ScoringConfigError) as caught:
        load_config(tmp_path)
    assert "lead-scoring.json" in str(caught.value) and words in str(caught.value)


# -- the report on both stores --------------------------------------------------------------------

def test_leads_report_contract_and_values(ws):
    now = datetime.now().replace(microsecond=0)
    add_leads(ws,
              {"lead_id": "A", "created_at": now - timedelta(days=40), "employees": 600, "title": "CTO", "budget": "有预算",
               "authority": "yes", "need": "high", "timeline": "3个月内", "status": "mql", "email": "a@x.com"},
              {"lead_id": "B", "created_at": now - timedelta(days=40), "employees": 20, "status": "new", "email": "b@x.com"})
    add_touches(ws, {"touch_id": "T1", "at": now - timedelta(days=30), "kind": "demo", "lead_id": "A"},
                {"touch_id": "T2", "at": now - timedelta(days=60), "kind": "meeting", "lead_id": "A"})
    out = ws.report("leads")
    assert list(out) == ["leads"]
    rows = {r["lead_id"]: r for r in out["leads"]}
    assert set(rows) == {"A", "B"}
    for row in rows.values():
        assert list(row) == ["lead_id", "status", "fit_score", "engagement_score", "grade", "predicted_conversion", "reasons",
                             "account_id"]
    # A: fit 100 (every rule); engagement 10 × 0.5 + 10 × 0.25 = 7.5 → grade A4
    assert (rows["A"]["fit_score"], rows["A"]["grade"]) == (100.0, "A4")
    assert rows["A"]["engagement_score"] == pytest.approx(7.5, abs=0.01)
    # B: 20 employees = 5 points, no touches → D4
    assert (rows["B"]["fit_score"], rows["B"]["engagement_score"], rows["B"]["grade"]) == (5.0, 0.0, "D4")
    # No closed history: no prediction, and the reason says why.
    assert rows["B"]["predicted_conversion"] is None
    assert any(r["kind"] == "prediction" and "too little history" in r["text"] for r in rows["B"]["reasons"])
    assert [r["lead_id"] for r in ws.report("leads", status="mql")["leads"]] == ["A"]


def test_leads_report_one_row_per_merged_lead(ws):
    add_leads(ws, {"lead_id": "A", "created_at": datetime(2024, 1, 1), "email": "Same@X.com", "title": "CEO"},
              {"lead_id": "B", "created_at": datetime(2024, 2, 1), "email": " same@x.com", "employees": 700},
              {"lead_id": "C", "created_at": datetime(2024, 3, 1), "email": "c@x.com"})
    add_touches(ws, {"touch_id": "T1", "at": datetime.now(), "kind": "call", "lead_id": "B"})
    rows = {r["lead_id"]: r for r in ws.report("leads")["leads"]}
    assert set(rows) == {"A", "C"}
    # A keeps its own title and takes B's size: 20 + 20 = 40; B's call today is A's: 5 points
    assert rows["A"]["fit_score"] == 40.0
    assert rows["A"]["engagement_score"] == pytest.approx(5.0, abs=0.01)


def test_empty_store(ws):
    assert ws.report("leads") == {"leads": []}
    model = ws.report("lead-model")
    assert model["status"] == "insufficient_history" and "0 closed leads" in model["message"]
