"""Health and churn risk at L50 (100k accounts, 50M events) and M: cold, warm, one new day.

    python -m bench.success_health --size L50 [--results]

Each step runs in its own process under /usr/bin/time (wall time incl. start-up, peak RSS),
over a scratch workspace on the bench store (bench/success_usage.py `_scratch_ws`; its usage
rollups are brought up to date first, untimed, in the `prepare` step):

    cold      health report as of (last day − 30): churn-model cache deleted, so the model is
              trained (12 snapshot days) and backtested in the process — the issue's ≤ 60 s / ≤ 4 GB
    warm      the same report in a new process, model and report kept (`b2bgrowth report health`)
    one-day   a scratch copy without the last day's partition, rollups current and the health
              report as of the day before computed (in `prepare`: that fits the month's churn
              model, as a running system would have); the day is linked in, then
              update_rollups (≤ 5 s target) and the health report as of that day
    renewals  the renewals report (90 days) as of the cold step's day, model cached
    floor     one hand-written DuckDB query: the default scorecard's inputs (30-day usage, MRR,
              seats) straight from the event and subscription Parquet
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRATCH = Path("/tmp/bench-success-usage")


def _migrated(size: str) -> None:
    from b2bgrowth.settings import Settings
    from b2bgrowth.workspace import Workspace

    store = HERE / "data" / size / "store"
    Workspace(Settings(data_dir=SCRATCH / "migrate", database_url=f"sqlite:///{store / 'b2bgrowth.sqlite'}",
                       secret_key="bench-secret-key-0123456789")).close()


def _one_day_ws(size: str):
    """A scratch workspace whose events stop the day before the last; rollups copied and current."""
    from bench.success_usage import _scratch_ws

    data = SCRATCH / f"{size}-health-oneday"
    shutil.rmtree(data, ignore_errors=True)
    data.mkdir(parents=True)
    shutil.copytree(SCRATCH / f"{size}-duckdb" / "derived" / "usage", data / "derived" / "usage")
    return _scratch_ws(size, "health-oneday", upto_last=False)


def step(args) -> dict:
    from b2bgrowth.success.usage.rollups import update_rollups
    from bench.success_usage import _scratch_ws

    began = time.perf_counter()
    out: dict = {}
    if args.step == "prepare":
        _migrated(args.size)
        ws, last = _scratch_ws(args.size, "duckdb", upto_last=True)
        out["rollups"] = update_rollups(ws).as_dict()
        ws2, last = _one_day_ws(args.size)
        out["one_day_base"] = update_rollups(ws2).as_dict()  # drops the last day's rollup rows
        # Yesterday's report, as a running system has it: this month's churn model is fitted
        # here (one model per month), so the one-day step measures a new day, not a refit.
        from b2bgrowth.success.health import health_report

        yesterday = last - timedelta(days=1)
        out["one_day_yesterday"] = {"as_of": yesterday.isoformat(), "accounts": len(health_report(ws2, yesterday)["accounts"])}
    elif args.step in ("cold", "warm", "renewals"):
        ws, last = _scratch_ws(args.size, "duckdb", upto_last=True)
        as_of = last - timedelta(days=30)
        if args.step == "cold":  # no model, no kept report: both computed in this process
            shutil.rmtree(Path(ws.settings.derived_dir) / "churn_model", ignore_errors=True)
            shutil.rmtree(Path(ws.settings.derived_dir) / "health_report", ignore_errors=True)
        t = time.perf_counter()
        if args.step == "renewals":
            report = ws.report("renewals", as_of=as_of)
            out["rows"] = len(report.get("renewals", report.get("rows", [])) if isinstance(report, dict) else [])
        else:
            from b2bgrowth.success.health import health_report

            report = health_report(ws, as_of)
            out["accounts"] = len(report["accounts"])
            out["risk_method"] = report["accounts"][0]["risk_method"] if report["accounts"] else None
        out["as_of"] = as_of.isoformat()
        out["report_s"] = round(time.perf_counter() - t, 1)
    elif args.step == "one-day":
        ws, last = _one_day_ws_existing(args.size)
        t = time.perf_counter()
        out["rollups"] = update_rollups(ws).as_dict()
        out["update_rollups_s"] = round(time.perf_counter() - t, 2)
        from b2bgrowth.success.health import health_report

        t = time.perf_counter()
        report = health_report(ws, last)
        out["health_s"] = round(time.perf_counter() - t, 1)
        out["accounts"] = len(report["accounts"])
        out["as_of"] = last.isoformat()
    elif args.step == "floor":
        import duckdb

        from bench.datasets import ensure_parquet

        root = HERE / "data" / args.size
        parquet = ensure_parquet(root)
        events = root / "store" / "events"
        last = max(p.name[5:] for p in events.iterdir() if p.name.startswith("date="))
        from datetime import date

        d = f"DATE '{(date.fromisoformat(last) - timedelta(days=30)).isoformat()}'"
        con = duckdb.connect()
        n = con.sql(f"""
            WITH usage AS (
              SELECT account_id,
                count(DISTINCT user_id) FILTER (WHERE date > {d} - 30) AS mau,
                count(*) FILTER (WHERE date > {d} - 30) AS events_30d,
                count(*) FILTER (WHERE date <= {d} - 30 AND date > {d} - 60) AS events_prev_30d,
                count(DISTINCT event) FILTER (WHERE date > {d} - 30 AND event <> 'support_ticket') AS breadth,
                count(*) FILTER (WHERE event = 'support_ticket') AS tickets_90d,
                max(date) AS last_active
              FROM read_parquet('{events}/date=*/*.parquet', hive_partitioning = true, hive_types = {{'date': DATE}})
              WHERE account_id IS NOT NULL AND date BETWEEN {d} - 89 AND {d}
              GROUP BY account_id),
            paying AS (
              SELECT account_id, sum(mrr) AS mrr, sum(seats) AS seats
              FROM read_parquet('{parquet}/subscriptions.parquet')
              WHERE start_date <= {d} AND (end_date IS NULL OR end_date > {d}) AND mrr > 0
              GROUP BY account_id)
            SELECT count(*) FROM paying LEFT JOIN usage USING (account_id)""").fetchall()[0][0]
        out = {"paying_accounts": n}
    else:
        raise SystemExit(f"unknown step {args.step}")
    out["seconds_in_process"] = round(time.perf_counter() - began, 2)
    return out


def _one_day_ws_existing(size: str):
    """The one-day scratch workspace with every partition linked (the new day included)."""
    from bench.success_usage import _scratch_ws

    return _scratch_ws(size, "health-oneday", upto_last=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="L50")
    parser.add_argument("--step")
    parser.add_argument("--steps", default="prepare,cold,warm,one-day,renewals,floor")
    parser.add_argument("--note", default="")
    parser.add_argument("--results", action="store_true")
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args), default=str))
        return
    from bench.harness import run_step_table

    text = run_step_table("bench.success_health", args.size, args.steps.split(","),
                          "Customer success — health and churn risk",
                          f"python -m bench.success_health --size {args.size} --results", note=args.note)
    print(text)
    if args.results:
        from bench.harness import write_section

        write_section(HERE / "results.md", f"success-health-{args.size}", text)


if __name__ == "__main__":
    main()
