"""`python -m bench.experiments [--units 100000] [--runs 3] [--output PATH] [--data DIR]`

Issue 5 item 9: analysis of 20 metrics × 3 variants × 100k units from the store ≤ 2 s.

Data (built once into DIR, default bench/data/experiments, git-ignored): 100k accounts in three
tiers, an experiment with 3 equal variants started and frozen over all of them (stratified by
tier), 20 metrics on 10 event names (5 proportions, 5 counts, 5 means of a property, 5 ratios;
30-day window, 30-day CUPED pre-period), ~20 events per unit over the 60 days (≈ 2M events).

Figures: `analyze(ws, key)` in-process (what the API and the web page call; median of --runs,
segments by tier/industry/region for the primary metric included), and the CLI
`b2bgrowth experiment analyze KEY --json` as a user runs it (process start-up included).
Floor: ONE hand-written DuckDB query over the same Parquet events and the assignments
(exported to Parquet) computing the same per-variant n, Σy, Σy², Σx, Σx², Σxy for all 20 metrics.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bench.harness import machine, median_run

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DATA = ROOT / "bench" / "data" / "experiments"
DEFAULT_OUTPUT = Path("/work/helper-notes/experiments-bench.md")
KEY = "bench-3x20"
START = datetime(2026, 6, 1)
EVENTS = [f"ev{i}" for i in range(10)]
TARGET_SECONDS = 2.0


def metric_specs() -> dict:
    specs = []
    for i in range(5):
        specs.append({"name": f"p{i}", "type": "proportion", "events": [EVENTS[i]], "window_days": 30})
        specs.append({"name": f"c{i}", "type": "count", "events": [EVENTS[i + 5]], "window_days": 30})
        specs.append({"name": f"m{i}", "type": "mean", "events": [EVENTS[i + 5]], "value_property": "amount", "window_days": 30})
        specs.append({"name": f"r{i}", "type": "ratio", "events": [EVENTS[i + 1]], "denominator_events": [EVENTS[0]], "window_days": 30})
    return {"primary": specs[:1], "secondary": specs[1:15], "guardrail": specs[15:]}


def build(data: Path, units: int, seed: int = 3) -> None:
    from sqlalchemy import insert

    from b2bgrowth.accounts.models import Account
    from b2bgrowth.experiments import service as registry
    from b2bgrowth.experiments.schemas import ExperimentCreate
    from b2bgrowth.workspace import Workspace

    ws = Workspace.open(data_dir=data)
    rng = np.random.default_rng(seed)
    ids = [f"B{i:07d}" for i in range(units)]
    tiers = rng.choice(["A", "B", "C"], units, p=[0.05, 0.25, 0.7])
    industries = rng.choice(["SaaS", "Retail", "Manufacturing", "Finance"], units)
    regions = rng.choice(["East", "North", "South", "West"], units)
    rows = [{"account_id": a, "name": a, "tier": t, "industry": ind, "region": reg, "type": "direct"}
            for a, t, ind, reg in zip(ids, tiers, industries, regions)]
    with ws.store.write(touched=["accounts"]) as session:
        for lo in range(0, units, 20_000):
            session.execute(insert(Account.__table__), rows[lo:lo + 20_000])
    registry.create_experiment(ws, ExperimentCreate(key=KEY, variants=[{"name": n, "weight": 1} for n in ("control", "b", "c")],
                                                    metrics=metric_specs(), stratify_by="tier"), by="bench")
    registry.start(ws, KEY, at=START)

    per_unit = rng.poisson(20, units)
    n = int(per_unit.sum())
    who = np.repeat(np.arange(units), per_unit)
    offsets = rng.uniform(-30, 30, n)  # days around the start: pre and post windows
    kind = rng.choice(len(EVENTS), n)
    amounts = [json.dumps({"amount": a}) for a in (10, 20, 50, 100, 200, 500, 1000, 0, 5, 75)]
    amount_idx = rng.integers(0, len(amounts), n)
    epoch = np.datetime64(START, "us")
    account = np.array(ids)[who]
    for lo in range(0, n, 1_000_000):
        sl = slice(lo, lo + 1_000_000)
        ws.events.ingest_arrow(pa.table({
            "event_id": pa.array(np.char.add("X", np.arange(lo, lo + len(who[sl])).astype(str))),
            "ts": pa.array(epoch + (offsets[sl] * 86_400e6).astype("timedelta64[us]"), pa.timestamp("us")),
            "account_id": pa.array(account[sl]),
            "user_id": pa.array(np.char.add(account[sl], "-U")),
            "event": pa.DictionaryArray.from_arrays(pa.array(kind[sl].astype(np.int32)), pa.array(EVENTS)).cast(pa.string()),
            "properties": pa.DictionaryArray.from_arrays(pa.array(amount_idx[sl].astype(np.int32)), pa.array(amounts)).cast(pa.string()),
        }))
    ws.events.flush()
    from b2bgrowth.experiments.assignment import stored_assignments

    assignments = stored_assignments(ws, KEY)
    pq.write_table(pa.table({
        "unit_id": [a["unit_id"] for a in assignments], "variant": [a["variant"] for a in assignments],
        "assigned_at": pa.array([a["assigned_at"] for a in assignments], pa.timestamp("us")),
    }), data / "assignments.parquet")
    (data / "READY").write_text(f"{units} units, {n} events\n")
    ws.close()


def floor_sql(data: Path) -> str:
    """The same per-variant sums for the 20 metrics as one query (no CUPED arithmetic, no stats)."""
    specs = [m for group in metric_specs().values() for m in group]
    cols, sums = [], []
    post = "e.ts >= a.assigned_at AND e.ts < a.assigned_at + INTERVAL 30 DAY"
    pre = "e.ts >= a.assigned_at - INTERVAL 30 DAY AND e.ts < a.assigned_at"
    for i, m in enumerate(specs):
        ev = f"e.event = '{m['events'][0]}'"
        if m["type"] == "proportion":
            cols += [f"(count(*) FILTER (WHERE {ev} AND {post}) > 0)::DOUBLE AS y{i}", f"(count(*) FILTER (WHERE {ev} AND {pre}) > 0)::DOUBLE AS x{i}"]
        elif m["type"] == "mean":
            val = "try_cast(json_extract_string(e.properties, '$.amount') AS DOUBLE)"
            cols += [f"coalesce(sum({val}) FILTER (WHERE {ev} AND {post}), 0) AS y{i}", f"coalesce(sum({val}) FILTER (WHERE {ev} AND {pre}), 0) AS x{i}"]
        else:
            cols += [f"count(*) FILTER (WHERE {ev} AND {post})::DOUBLE AS y{i}", f"count(*) FILTER (WHERE {ev} AND {pre})::DOUBLE AS x{i}"]
        if m["type"] == "ratio":
            cols.append(f"count(*) FILTER (WHERE e.event = '{m['denominator_events'][0]}' AND {post})::DOUBLE AS d{i}")
            sums += [f"sum(d{i})", f"sum(d{i}*d{i})", f"sum(y{i}*d{i})"]
        sums += [f"sum(y{i})", f"sum(y{i}*y{i})", f"sum(x{i})", f"sum(x{i}*x{i})", f"sum(y{i}*x{i})"]
    return f"""
    WITH a AS (SELECT * FROM read_parquet('{data}/assignments.parquet')),
    u AS (SELECT a.unit_id, a.variant, {', '.join(cols)}
          FROM a LEFT JOIN read_parquet('{data}/events/date=*/*.parquet', hive_partitioning = true) e ON e.account_id = a.unit_id
          GROUP BY a.unit_id, a.variant)
    SELECT variant, count(*), {', '.join(sums)} FROM u GROUP BY variant ORDER BY variant"""


def _floor(data: Path) -> None:
    import duckdb

    began = time.perf_counter()
    rows = duckdb.connect().execute(floor_sql(data)).fetchall()
    print(json.dumps({"seconds": time.perf_counter() - began, "variants": len(rows)}))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--floor-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    data = args.data.resolve()
    if args.floor_only:
        _floor(data)
        return
    if not (data / "READY").exists():
        print(f"building {args.units:,} units into {data} …", file=sys.stderr)
        began = time.perf_counter()
        build(data, args.units)
        print(f"built in {time.perf_counter() - began:.0f} s", file=sys.stderr)

    from b2bgrowth.experiments.analysis import analyze
    from b2bgrowth.workspace import Workspace

    ws = Workspace.open(data_dir=data)
    times = []
    for _ in range(args.runs):
        began = time.perf_counter()
        result = analyze(ws, KEY, as_of=START + timedelta(days=31))
        times.append(time.perf_counter() - began)
    ws.close()
    in_process = statistics.median(times)
    n_metrics = len(result["metrics"])
    n_variants = len(result["experiment"]["variants"])
    units = result["units"]["total"]
    as_of = (START + timedelta(days=31)).date().isoformat()
    cli_cmd = [str(ROOT / ".venv" / "bin" / "b2bgrowth"), "--data-dir", str(data), "experiment", "analyze", KEY, "--as-of", as_of, "--json"]
    cli_run, cli_times = median_run(cli_cmd, args.runs)
    floor_cmd = [sys.executable, "-m", "bench.experiments", "--floor-only", "--data", str(data)]
    floor_run, floor_times = median_run(floor_cmd, args.runs)
    floor_query = statistics.median([json.loads(floor_run.stdout)["seconds"]])
    m = machine()
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else ["?"] * 3
    events = (data / "READY").read_text().strip()
    text = f"""## Experiments: analysis of {n_metrics} metrics × {n_variants} variants × {units:,} units

Measured {m['date']} with `python -m bench.experiments --units {units} --runs {args.runs}`.

Machine: {m['nproc']} CPUs ({m['cpu']}), {m['ram_gb']} GB RAM, {m['os']}; Python {m['python']}, DuckDB {m['duckdb']}, SQLAlchemy {m['sqlalchemy']}. Shared with other work, so figures vary run to run: load average at the end of this run {' / '.join(load)} (1 / 5 / 15 min) on {m['nproc']} CPUs.

| benchmark | figure | target | meets | floor | × floor |
| --- | --- | --- | --- | --- | --- |
| `analyze()` in-process (API / web page path), SQLite store | {in_process:.2f} s | {TARGET_SECONDS:.2f} s | {'yes' if in_process <= TARGET_SECONDS else '**no**'} | {floor_query:.2f} s | {in_process / floor_query:.1f} |
| `b2bgrowth experiment analyze KEY --json` (process incl. start-up) | {cli_run.seconds:.2f} s | — |  | {floor_run.seconds:.2f} s | {cli_run.seconds / floor_run.seconds:.1f} |

- Data: {events} (10 event names, 60 days around the start); 3 equal variants frozen by tier-stratified blocked assignment. Metrics: 5 proportions, 5 counts, 5 means of a JSON property, 5 ratios (delta method); 30-day window with a 30-day CUPED pre-period; effects by tier, industry and region for the primary metric; Holm/BH over the 40 comparisons.
- in-process runs: {', '.join(f'{t:.2f}' for t in times)} s (median {in_process:.2f} s).
- CLI runs: {', '.join(f'{t:.2f}' for t in cli_times)} s; peak RSS {cli_run.peak_rss_mb or 0:.0f} MB.
  - product: `b2bgrowth --data-dir bench/data/experiments experiment analyze {KEY} --as-of {as_of} --json`
- floor: one DuckDB query computing the same per-variant n, Σy, Σy², Σx, Σx², Σxy (and Σd, Σd², Σyd) for the 20 metrics from the Parquet events and the assignments exported to Parquet; query time {floor_query:.2f} s, process {', '.join(f'{t:.2f}' for t in floor_times)} s.
  - floor: `python -m bench.experiments --floor-only --data bench/data/experiments` (SQL in `bench/experiments.py: floor_sql`)
"""
    args.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
