"""Growth-model diagnosis (issue 3 item 9): hacker, R2R or missile, per segment.

Per segment (an account attribute; default tier):
  ACV    median over customers of the first-year won amount: Σ won amounts closed within 365
         days of the customer's first won close (customer = account, else the lead)
  cycle  median over won opportunities of close_date − created_at, in days
Rules (from the seeds):
  missile  ACV ≥ 300,000 or cycle ≥ 90 days (3 months)        — checked first
  hacker   ACV < 10,000 and cycle ≤ 3 days (0–72 hours)
  r2r      10,000 ≤ ACV ≤ 100,000 and cycle ≤ 56 days (8 weeks)
Otherwise the nearest model, with a note: distance in log10 units from (ACV, cycle + 1) to
each model's region (a box for hacker and R2R; the nearer of the two thresholds for missile).
Amounts are in the reporting currency (CNY by default), as the thresholds are.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import pandas as pd

from b2bgrowth.pipeline.analytics import opportunities

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

HACKER_ACV, R2R_ACV, MISSILE_ACV = 10_000, 100_000, 300_000
HACKER_DAYS, R2R_DAYS, MISSILE_DAYS = 3, 56, 90

CALLS_FOR = {
    "hacker": {
        "en": {"team": "A small, agile growth team (about five people) that runs several experiments a week.",
               "channels": "Word of mouth, referral and viral loops; the product itself drives acquisition.",
               "playbook": "Self-serve purchase closed in 0–72 hours; iterate the product and funnel fast; "
                           "expect an exponential curve."},
        "zh_CN": {"team": "五人左右的敏捷增长小团队，一周做好几轮实验、迭代好几个版本。",
                  "channels": "口碑、转介绍和裂变；产品驱动获客。",
                  "playbook": "客户自助购买，0–72 小时成单；快速迭代产品与漏斗，增长呈指数型。"},
    },
    "r2r": {
        "en": {"team": "The marketing team owns the growth target and manages it leanly.",
               "channels": "About 80 % of the journey online (content, search, webinars), 20 % offline "
                           "with sales follow-up; multi-person B2B decisions.",
               "playbook": "Lean management: keep finding ways to raise the ROI of every channel and the "
                           "efficiency of the value exchange; expect a steady, gradual curve."},
        "zh_CN": {"team": "由传统营销团队负责增长目标，做精益管理。",
                  "channels": "约 80% 的流程在线上完成（内容、搜索、直播），20% 线下靠销售跟进；B2B 多人决策。",
                  "playbook": "精益管理：不断寻找更高 ROI 的方式，提升价值交换效率；增长呈渐进式曲线。"},
    },
    "missile": {
        "en": {"team": "Project-style selling: direct sales together with channel partners (hybrid).",
               "channels": "Direct sales, channel partners, industry events and key-account programmes.",
               "playbook": "Find the niche market fast and concentrate resources and strategy there; "
                           "long, complex decisions in the customer's core business; expect a stepped curve."},
        "zh_CN": {"team": "项目制营销：直销与渠道并行的混合型销售。",
                  "channels": "直销、渠道伙伴、行业活动和大客户计划。",
                  "playbook": "快速找到利基市场，把资源和策略集中投入；客户决策流程长而复杂、进入核心业务流；增长呈阶梯式。"},
    },
}
MODEL_NAMES = {"hacker": ("hacker", "黑客式"), "r2r": ("R2R", "R2R 式"), "missile": ("missile", "导弹式")}


def _gap(value: float, low: float | None, high: float | None) -> float:
    """log10 distance from value to the interval [low, high] (0 inside)."""
    v = math.log10(max(value, 1e-9))
    if low is not None and value < low:
        return math.log10(low) - v
    if high is not None and value > high:
        return v - math.log10(high)
    return 0.0


def distances(acv: float, cycle: float) -> dict[str, float]:
    c = cycle + 1  # days + 1 keeps a zero-day cycle on the log scale
    return {
        "hacker": math.hypot(_gap(acv, None, HACKER_ACV), _gap(c, None, HACKER_DAYS + 1)),
        "r2r": math.hypot(_gap(acv, HACKER_ACV, R2R_ACV), _gap(c, None, R2R_DAYS + 1)),
        "missile": min(_gap(acv, MISSILE_ACV, None), _gap(c, MISSILE_DAYS + 1, None)),
    }


def classify(acv: float | None, cycle: float | None) -> tuple[str | None, bool, dict | None]:
    """(model, exact, note {en, zh_CN})."""
    if acv is None or cycle is None:
        return None, False, {"en": "No won deals to diagnose.", "zh_CN": "没有赢单，无法判断。"}
    if acv >= MISSILE_ACV or cycle >= MISSILE_DAYS:
        return "missile", True, None
    if acv < HACKER_ACV and cycle <= HACKER_DAYS:
        return "hacker", True, None
    if HACKER_ACV <= acv <= R2R_ACV and cycle <= R2R_DAYS:
        return "r2r", True, None
    dist = distances(acv, cycle)
    model = min(dist, key=dist.get)
    en, zh = MODEL_NAMES[model]
    note = {
        "en": f"ACV {acv:,.0f} and a {cycle:.0f}-day cycle fit no model exactly; nearest is {en}.",
        "zh_CN": f"客单价 {acv:,.0f}、结单周期 {cycle:.0f} 天，不完全符合任何模型；最接近{zh}。",
    }
    return model, False, note


def growth_model_report(ws: Workspace, segment: str | None = "tier") -> dict:
    opps = opportunities(ws, segment)
    won = opps[(opps["status"] == "won") & opps["closed_on"].notna()].copy()
    won["customer"] = won["account_id"].where(won["account_id"].notna(), "lead:" + won["lead_id"].astype(str))
    first = won.groupby("customer")["closed_on"].transform("min")
    first_year = won[won["closed_on"] < first + pd.Timedelta(days=365)]
    rows = []
    keys = won["segment"].astype(object).where(won["segment"].notna(), None)
    for value in sorted(set(keys), key=lambda v: (v is None, str(v))):
        part = won[keys.map(lambda k, v=value: k == v)]
        fy = first_year.loc[first_year.index.isin(part.index)]
        acv_by_customer = fy.groupby("customer")["amount_rc"].sum()
        acv = float(acv_by_customer.median()) if len(acv_by_customer) else None
        cycles = part["cycle_days"].dropna()
        cycle = float(cycles.median()) if len(cycles) else None
        model, exact, note = classify(acv, cycle)
        rows.append({"segment": value, "accounts": int(len(acv_by_customer)), "acv_median": acv,
                     "cycle_days_median": cycle, "model": model, "exact": exact, "note": note,
                     "calls_for": CALLS_FOR.get(model)})
    return {"segments": rows}
