"""`python -m bench [--sizes S,M,L] [--only import,ingest,report,demo] [--runs 3]` → bench/results.md."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from bench import cases, datasets
from bench.harness import machine, write_section

RESULTS = Path(__file__).resolve().parent / "results.md"
NAMES = ("import", "ingest", "report", "demo")


def _fmt(value, unit=""):
    if value is None:
        return "—"
    if unit.endswith("/s"):
        return f"{value:,.0f} {unit}"
    return f"{value:.2f} {unit}".strip()


def _ratio(row) -> str:
    return "—" if row["ratio"] is None else f"{row['ratio']:.1f}"


def _meets(row) -> str:
    if row["target"] is None:
        return ""
    ok = row["figure"] >= row["target"] if row["unit"].endswith("/s") else row["figure"] <= row["target"]
    return "yes" if ok else "**no**"


def render(rows: list[dict], failures: list[str], info: dict, argv: list[str]) -> str:
    lines = [
        "## Foundation: import, ingestion, revenue report, demo", "",
        f"Measured {info['date']} with `python -m bench {' '.join(argv)}`. Figures are what that run measured.", "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']} GB RAM, {info['os']}; "
        f"Python {info['python']}, DuckDB {info['duckdb']}, SQLAlchemy {info['sqlalchemy']}. "
        "The machine is shared with other work, so figures vary run to run.", "",
        "The *floor* is the same computation as one hand-written DuckDB query over the same data, run as a "
        "subprocess the same way; *× floor* is how many times the floor's time the product takes.", "",
        "| benchmark | size | figure | target | meets | floor | × floor |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        floor_unit = r["unit"]
        lines.append(f"| {r['name']} | {r['size']} | {_fmt(r['figure'], r['unit'])} | "
                     f"{_fmt(r['target'], r['unit']) if r['target'] else '—'} | {_meets(r)} | "
                     f"{_fmt(r['floor'], floor_unit)} | {_ratio(r)} |")
    lines += ["", "### Details and exact commands", ""]
    for r in rows:
        lines += [f"- **{r['name']}** ({r['size']}): {r['notes']}", f"  - product: `{r['command']}`"]
        if r["floor_command"]:
            lines.append(f"  - floor: `python {r['floor_command']}`")
    lines += ["", "### Data", "",
              "Each size is the demo company with seed 42 (`generate_company(ws, size, seed=42)`), generated once into "
              "bench/data/SIZE (git-ignored). At L the store is generated without usage events: no figure here reads "
              "them (ingestion posts its own batches) and generating 50M events is slow on 2 cores; "
              "`python -m bench --l-events 50000000` includes them.", ""]
    if failures:
        lines += ["### Not measured in this run", ""] + [f"- {f}" for f in failures] + [""]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--sizes", default="S,M,L", help="comma-separated sizes for import and report (S, M, L)")
    parser.add_argument("--only", default=",".join(NAMES), help="comma-separated subset of: " + ", ".join(NAMES))
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median reported)")
    parser.add_argument("--ingest-events", type=int, default=1_000_000)
    parser.add_argument("--l-events", type=int, default=None, help="usage events generated with size L (default 0)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/results.md alone")
    args = parser.parse_args(argv)
    sizes = [s.strip().upper() for s in args.sizes.split(",") if s.strip()]
    only = {s.strip() for s in args.only.split(",")}
    unknown = only - set(NAMES)
    if unknown:
        parser.error(f"--only: unknown benchmark(s) {', '.join(sorted(unknown))}; choose from {', '.join(NAMES)}")
    if args.l_events is not None:
        datasets.DEFAULT_EVENTS["L"] = args.l_events

    plan = []
    for size in sizes:
        if "import" in only:
            plan.append((f"import {size}", lambda size=size: cases.bench_import(size, 1 if size == "L" else args.runs)))
    if "ingest" in only:
        plan.append(("ingest", lambda: cases.bench_ingest(args.ingest_events, args.runs)))
    for size in sizes:
        if "report" in only:
            plan.append((f"report {size}", lambda size=size: cases.bench_report(size, args.runs)))
    if "demo" in only:
        plan.append(("demo", lambda: cases.bench_demo(args.runs)))

    rows, failures = [], []
    for label, step in plan:
        print(f"== {label}", flush=True)
        try:
            for row in step():
                rows.append(row)
                print(f"   {row['name']} [{row['size']}]: {_fmt(row['figure'], row['unit'])}  "
                      f"(floor {_fmt(row['floor'], row['unit'])}; target {_fmt(row['target'], row['unit'])})  {row['notes']}",
                      flush=True)
        except Exception as exc:  # record what failed and go on with the rest
            traceback.print_exc()
            failures.append(f"{label}: {type(exc).__name__}: {str(exc).strip().splitlines()[-1] if str(exc).strip() else ''}")
    text = render(rows, failures, machine(), argv)
    if not args.no_write:
        write_section(RESULTS, "foundation", text)
        print(f"wrote {RESULTS}")
    return 1 if failures and not rows else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
