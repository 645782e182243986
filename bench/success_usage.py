"""Usage rollups and signals at M (~5M events) and L50 (100k accounts, 50M events).

    python -m bench.success_usage --size M [--spark] [--results]

Each step runs in its own process under /usr/bin/time (wall time incl. start-up, peak RSS).
The stores are read-only here: a scratch data dir holds symlinks to the store's event date
partitions (all but the last day), so the full build, then "one new day" (the last day's link
added), are measured without touching bench/data. The floor is one hand-written DuckDB query
computing the account-level 30-day features straight from the event Parquet.
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from datetime import date, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRATCH = Path("/tmp/bench-success-usage")


def _scratch_ws(size: str, name: str, upto_last: bool):
    """A workspace on the bench store's database whose events dir links to its partitions."""
    from b2bgrowth.settings import Settings
    from b2bgrowth.workspace import Workspace

    store = HERE / "data" / size / "store"
    data = SCRATCH / f"{size}-{name}"
    events = data / "events"
    events.mkdir(parents=True, exist_ok=True)
    parts = sorted(p for p in (store / "events").iterdir() if p.name.startswith("date="))
    wanted = parts if upto_last else parts[:-1]
    for p in wanted:
        link = events / p.name
        if not link.exists():
            link.symlink_to(p, target_is_directory=True)
    settings = Settings(data_dir=data, database_url=f"sqlite:///{store / 'b2bgrowth.sqlite'}",
                        secret_key="bench-secret-key-0123456789")
    return Workspace(settings, migrate=False), date.fromisoformat(parts[-1].name[5:])


def step(args) -> dict:
    from b2bgrowth.success.usage.rollups import update_rollups

    began = time.perf_counter()
    if args.step == "build":
        shutil.rmtree(SCRATCH / f"{args.size}-duckdb", ignore_errors=True)
        ws, _ = _scratch_ws(args.size, "duckdb", upto_last=False)
        out = update_rollups(ws).as_dict()
    elif args.step == "one-day":
        ws, _ = _scratch_ws(args.size, "duckdb", upto_last=True)
        out = update_rollups(ws).as_dict()
    elif args.step == "signals":
        from b2bgrowth.success.signals import account_signals
        from b2bgrowth.success.usage import usage_features

        ws, last = _scratch_ws(args.size, "duckdb", upto_last=True)
        as_of = last - timedelta(days=30)
        t = time.perf_counter()
        feats = usage_features(ws, as_of)
        t_feats = time.perf_counter() - t
        t = time.perf_counter()
        sig = account_signals(ws, as_of, usage=feats)
        out = {"as_of": as_of.isoformat(), "usage_features_s": round(t_feats, 2), "accounts_with_events": len(feats),
               "account_signals_s": round(time.perf_counter() - t, 2), "paying_accounts": len(sig)}
    elif args.step == "spark":
        import duckdb

        from b2bgrowth.success.usage.rollups import SCHEMAS, rollup_source

        shutil.rmtree(SCRATCH / f"{args.size}-spark", ignore_errors=True)
        ws, _ = _scratch_ws(args.size, "spark", upto_last=True)
        ref, _ = _scratch_ws(args.size, "duckdb", upto_last=True)
        update_rollups(ref)
        t = time.perf_counter()
        out = update_rollups(ws, engine="spark").as_dict()
        out["spark_s"] = round(time.perf_counter() - t, 1)
        con = duckdb.connect()
        equal = {}
        for table in SCHEMAS:
            cols = ", ".join(SCHEMAS[table].names)
            diff = con.sql(f"SELECT count(*) FROM ((SELECT {cols} FROM {rollup_source(ws, table)} EXCEPT ALL "
                           f"SELECT {cols} FROM {rollup_source(ref, table)}) UNION ALL (SELECT {cols} FROM "
                           f"{rollup_source(ref, table)} EXCEPT ALL SELECT {cols} FROM {rollup_source(ws, table)}))"
                           ).fetchall()[0][0]
            equal[table] = diff == 0
        out["equal"] = equal
    elif args.step == "floor":
        import duckdb

        store = HERE / "data" / args.size / "store" / "events"
        last = max(p.name[5:] for p in store.iterdir() if p.name.startswith("date="))
        d = f"DATE '{(date.fromisoformat(last) - timedelta(days=30)).isoformat()}'"
        con = duckdb.connect()
        n = con.sql(f"""
            SELECT count(*) FROM (
              SELECT account_id,
                count(DISTINCT user_id) FILTER (WHERE date > {d} - 30) AS mau,
                count(*) FILTER (WHERE date > {d} - 30) AS events_30d,
                count(*) FILTER (WHERE date <= {d} - 30 AND date > {d} - 60) AS events_prev_30d,
                count(DISTINCT event) FILTER (WHERE date > {d} - 30 AND event <> 'support_ticket') AS breadth,
                count(*) FILTER (WHERE event = 'support_ticket') AS tickets_90d
              FROM read_parquet('{store}/date=*/*.parquet', hive_partitioning = true, hive_types = {{'date': DATE}})
              WHERE account_id IS NOT NULL AND date BETWEEN {d} - 89 AND {d}
              GROUP BY account_id)""").fetchall()[0][0]
        out = {"accounts": n}
    else:
        raise SystemExit(f"unknown step {args.step}")
    out["seconds_in_process"] = round(time.perf_counter() - began, 2)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="M")
    parser.add_argument("--step")
    parser.add_argument("--spark", action="store_true")
    parser.add_argument("--results", action="store_true")
    args = parser.parse_args()
    if args.step:
        print(json.dumps(step(args)))
        return
    from bench.harness import run_step_table

    steps = ["build", "one-day", "signals", "floor"] + (["spark"] if args.spark else [])
    text = run_step_table("bench.success_usage", args.size, steps, "Customer success — usage rollups and signals",
                          f"python -m bench.success_usage --size {args.size}{' --spark' if args.spark else ''} --results")
    print(text)
    if args.results:
        from bench.harness import write_section

        write_section(HERE / "results.md", f"success-usage-{args.size}", text)


if __name__ == "__main__":
    main()
