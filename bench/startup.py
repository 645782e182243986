"""Start-up and the revenue report after the capability contract (issue 10's acceptance):
`b2bgrowth --help` ≤ 0.3 s, `b2bgrowth report revenue … --json` at L ≤ 2 s.

    python -m bench.startup [--sizes S,M,L] [--runs 7] [--no-write]   → bench/results.md §startup

Each figure is the median wall time of whole processes (start-up included, as a user sees it),
measured with /usr/bin/time like the other suites. The floor of `--help` is the Python
interpreter starting and importing Typer (what any Typer command costs); the revenue report's
floor is the same hand-written DuckDB query as the foundation suite's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench import datasets
from bench.cases import FROM, SECRET, TO
from bench.harness import B2BGROWTH, machine, median_run, write_section

RESULTS = Path(__file__).resolve().parent / "results.md"
PY = str(Path(B2BGROWTH).parent / "python")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.startup")
    parser.add_argument("--sizes", default="S,M,L")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    rows = []
    help_run, help_times = median_run([B2BGROWTH, "--help"], args.runs)
    floor_run, _ = median_run([PY, "-c", "import typer"], args.runs)
    rows.append(("`b2bgrowth --help`", "-", help_run.seconds, 0.3, floor_run.seconds, help_run.peak_rss_mb,
                 f"median of {args.runs}: {', '.join(f'{t:.2f}' for t in help_times)} s"))
    for size in [s for s in args.sizes.split(",") if s]:
        root = datasets.ensure_dataset(size)
        cmd = [B2BGROWTH, "--data-dir", str(root / "store"), "report", "revenue", "--period", "month",
               "--from", FROM, "--to", TO, "--json"]
        first, _ = median_run(cmd, 1, SECRET)  # brings derived tables up to date first
        periods = len(json.loads(first.stdout)["periods"])
        run, times = median_run(cmd, args.runs, SECRET)
        floor, _ = median_run([PY, "-m", "bench.floors", "revenue", str(datasets.ensure_parquet(root)), FROM, TO],
                              args.runs)
        rows.append((f"`report revenue` monthly, 3 years, {periods} periods (CLI)", size, run.seconds,
                     2.0 if size == "L" else None, floor.seconds, run.peak_rss_mb,
                     f"median of {args.runs}: {', '.join(f'{t:.2f}' for t in times)} s"))
    info = machine()
    lines = [
        "## Start-up and the revenue report (capability contract, issue 10)", "",
        f"Measured {info['date']} with `python -m bench.startup {' '.join(argv)}`. Whole processes, "
        "wall time as a user sees it (median), peak RSS from /usr/bin/time -v.", "",
        f"Machine: {info['nproc']} CPUs ({info['cpu']}), {info['ram_gb']} GB RAM, {info['os']}; "
        f"Python {info['python']}. The machine is shared with other work, so figures vary run to run.", "",
        "Floors: `--help` against `python -c 'import typer'` (the interpreter and Typer, what any Typer "
        "command costs); the report against the foundation suite's hand-written DuckDB query.", "",
        "| what | size | seconds | target | meets | floor (s) | × floor | peak RSS MB | runs |",
        "| --- | --- | ---: | ---: | :---: | ---: | ---: | ---: | --- |",
    ]
    for what, size, seconds, target, floor, rss, runs in rows:
        meets = "" if target is None else ("yes" if seconds <= target else "**no**")
        lines.append(f"| {what} | {size} | {seconds:.2f} | {'—' if target is None else f'{target:.2f}'} | {meets} | "
                     f"{floor:.2f} | {seconds / floor:.1f} | {rss or 0:.0f} | {runs} |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        write_section(RESULTS, "startup", text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
