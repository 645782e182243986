"""`python -m bench.leads_scoring [--leads 1000000] [--closed 200000] [--output PATH]`

Lead scoring benchmarks (issue 3 item 11): rule scoring (fit + engagement + grade) of 1M merged
leads ≤ 10 s, and training the conversion model on 200k closed leads ≤ 60 s. Data is generated
in memory (the measured part is the scoring / training code, not the store read). Floors:
the fit score as ONE DuckDB SQL CASE expression plus the decayed engagement as one GROUP BY,
over the same frames; for training, a bare scikit-learn LogisticRegression fit on the already
built design matrix (what the pipeline adds is features, calibration and evaluation).
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from b2bgrowth.leads.models import TOUCH_KINDS
from b2bgrowth.leads.scoring import score_frame
from b2bgrowth.leads.scoring_config import default_config

AS_OF = datetime(2025, 1, 1)
DEFAULT_OUTPUT = Path("/work/helper-notes/leads-scoring-bench.md")


def make_leads(n: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    pick = lambda options, p=None: np.asarray(options, dtype=object)[rng.choice(len(options), n, p=p)]  # noqa: E731
    frame = pd.DataFrame({
        "lead_id": np.char.add("L", np.arange(n).astype(str)).astype(object),
        "created_at": AS_OF - pd.to_timedelta(rng.integers(0, 720, n), unit="D"),
        "channel": pick(["sem", "seo", "event", "referral", "ads", "partner"]),
        "status": pick(["new", "mql", "sql", "customer", "disqualified", "nurture"]),
        "employees": rng.lognormal(np.log(80), 1.3, n).astype(int) + 1,
        "industry": pick(["制造业", "零售", "金融", "互联网", "教育", "医疗"]),
        "region": pick(["华东", "华北", "华南", "西部"]),
        "title": pick(["CEO", "总经理", "IT经理", "数据分析师", "采购经理", "CTO", "工程师", None]),
        "budget": pick(["yes", "no", "有预算", "待定", "5万", "200000", None]),
        "authority": pick(["yes", "no", "决策人", None]),
        "need": pick(["high", "medium", "low", "替换Excel手工统计", None]),
        "timeline": pick(["<3m", "3-6m", ">6m", "3个月内", "4", "2025-03-01", None]),
    })
    per_lead = rng.poisson(3, n)
    m = int(per_lead.sum())
    touches = pd.DataFrame({
        "lead_id": np.repeat(frame["lead_id"].to_numpy(), per_lead),
        "at": AS_OF - pd.to_timedelta(rng.integers(0, 365 * 24, m), unit="h"),
        "kind": np.asarray(TOUCH_KINDS, dtype=object)[rng.integers(0, len(TOUCH_KINDS), m)],
        "account_id": None,
    })
    return frame, touches


def _timed(fn, runs: int = 1):
    best, result = float("inf"), None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - began)
    return best, result


FIT_SQL = """
SELECT lead_id, least(100, greatest(0,
  CASE WHEN employees >= 500 THEN 20 WHEN employees >= 50 THEN 12 WHEN employees >= 1 THEN 5 ELSE 0 END
  + CASE WHEN regexp_matches(lower(title), '{decision}') THEN 20 WHEN regexp_matches(lower(title), '{manager}') THEN 10 ELSE 0 END
  + CASE WHEN lower(budget) IN ('yes', '有预算', '有') OR regexp_matches(budget, '^[0-9]') OR budget LIKE '%万' THEN 15 ELSE 0 END
  + CASE WHEN lower(authority) IN ('yes', '决策人', '是') THEN 15 ELSE 0 END
  + CASE WHEN lower(need) = 'high' THEN 15 WHEN lower(need) = 'medium' OR lower(need) NOT IN ('low', 'high') THEN 8
         WHEN lower(need) = 'low' THEN 2 ELSE 0 END
  + CASE WHEN timeline IN ('<3m', '3个月内') THEN 15 WHEN timeline IN ('3-6m', '4') THEN 8 WHEN timeline = '>6m' THEN 2
         WHEN try_cast(timeline AS DATE) IS NOT NULL THEN CASE
              WHEN date_diff('day', created_at::DATE, try_cast(timeline AS DATE)) / 30.4375 < 3 THEN 15
              WHEN date_diff('day', created_at::DATE, try_cast(timeline AS DATE)) / 30.4375 <= 6 THEN 8 ELSE 2 END
         ELSE 0 END
)) AS fit
FROM leads
"""
ENGAGEMENT_SQL = """
SELECT t.lead_id, least(100, sum(p.points * pow(0.5, greatest(0, date_diff('second', t.at, TIMESTAMP '{as_of}')) / 86400.0 / 30))) AS e
FROM touches t JOIN points p ON p.kind = t.kind GROUP BY t.lead_id
"""


def bench_rule_scoring(n: int) -> dict:
    import duckdb

    from b2bgrowth.leads.scoring_config import DECISION_TITLES, MANAGER_TITLES

    frame, touches = make_leads(n)
    config = default_config()
    seconds, scores = _timed(lambda: score_frame(frame, touches, config, AS_OF), runs=2)
    con = duckdb.connect()
    con.register("leads", frame)
    con.register("touches", touches)
    con.register("points", pd.DataFrame({"kind": list(config.touch_points), "points": list(config.touch_points.values())}))
    sql = FIT_SQL.format(decision="|".join(DECISION_TITLES), manager="|".join(MANAGER_TITLES))
    floor_fit, _ = _timed(lambda: con.execute(f"SELECT count(*), sum(fit) FROM ({sql})").fetchall(), runs=2)
    floor_eng, _ = _timed(lambda: con.execute(
        f"SELECT count(*), sum(e) FROM ({ENGAGEMENT_SQL.format(as_of=AS_OF.isoformat(sep=' '))})").fetchall(), runs=2)
    floor_sum = con.execute(f"SELECT sum(fit) FROM ({sql})").fetchone()[0]
    con.close()
    same = abs(float(floor_sum) - float(scores["fit_score"].sum())) < 1e-6 * max(1.0, float(floor_sum))
    return {"name": f"rule scoring (fit + engagement + grade) of {n:,} leads, {len(touches):,} touches",
            "seconds": seconds, "floor": floor_fit + floor_eng, "target": 10.0,
            "floor_note": "DuckDB: fit as one CASE expression + decayed engagement as one GROUP BY",
            "check": f"mean fit {scores['fit_score'].mean():.2f}; SQL floor gives the same fit sum: {'yes' if same else 'NO'}"}


def bench_training(n: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    from b2bgrowth.leads.prediction import fit_model, lead_features

    frame, touches = make_leads(n, seed=2)
    rng = np.random.default_rng(3)
    decision = frame["title"].isin(["CEO", "总经理", "CTO"]).to_numpy()
    demos = touches[touches["kind"] == "demo"].groupby("lead_id").size().reindex(frame["lead_id"]).fillna(0).to_numpy()
    logit = -1.5 + 1.2 * decision + 0.6 * demos + 0.5 * (frame["employees"].to_numpy() >= 200)
    converted = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    labels = pd.DataFrame({"lead_id": frame["lead_id"], "converted": converted, "created_at": frame["created_at"]})

    def pipeline():
        cutoff = pd.Series(np.full(n, np.datetime64(AS_OF, "ns")), index=frame.index)
        return fit_model(lead_features(frame, touches, cutoff), labels)

    seconds, model = _timed(pipeline)
    cutoff = pd.Series(np.full(n, np.datetime64(AS_OF, "ns")), index=frame.index)
    X = model.design(lead_features(frame, touches, cutoff))
    Z = (X - model.mean) / model.std
    floor, _ = _timed(lambda: LogisticRegression(C=1.0, max_iter=1000).fit(Z, converted))
    return {"name": f"training on {n:,} closed leads ({len(touches):,} touches)", "seconds": seconds, "floor": floor,
            "target": 60.0, "floor_note": "bare LogisticRegression.fit on the finished design matrix",
            "check": f"hold-out AUC {model.report['auc']:.3f}"}


def render(rows: list[dict], argv: str) -> str:
    lines = ["## Lead scoring benchmarks (issue 3 item 11)", "",
             f"Measured {datetime.now():%Y-%m-%d %H:%M} with `python -m bench.leads_scoring {argv}` on "
             f"{platform.node()} ({platform.machine()}, {platform.processor() or 'cpu'}, "
             f"{__import__('os').cpu_count()} CPUs, Python {platform.python_version()}).", "",
             "| case | seconds | floor (s) | ratio | target (s) | meets | floor is | check |",
             "| --- | ---: | ---: | ---: | ---: | :---: | --- | --- |"]
    for r in rows:
        lines.append(f"| {r['name']} | {r['seconds']:.2f} | {r['floor']:.2f} | {r['seconds'] / r['floor']:.1f} | "
                     f"{r['target']:.0f} | {'yes' if r['seconds'] <= r['target'] else '**no**'} | {r['floor_note']} | "
                     f"{r['check']} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    import sys

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--closed", type=int, default=200_000)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    rows = [bench_rule_scoring(args.leads), bench_training(args.closed)]
    text = render(rows, " ".join(sys.argv[1:] if argv is None else argv))
    print(text)
    args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
