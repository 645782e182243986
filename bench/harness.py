"""Timing helpers: run a command as a subprocess under /usr/bin/time -v (wall time, peak RSS)."""

from __future__ import annotations

import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
B2BGROWTH = str(VENV_BIN / "b2bgrowth")
TIME = shutil.which("time", path="/usr/bin:/bin")


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float | None
    stdout: str


class BenchFailed(RuntimeError):
    pass


def run_timed(cmd: list[str], env: dict | None = None, cwd: Path | None = None) -> Run:
    """Wall time of the whole process (start-up included, as a user sees it) and its peak RSS."""
    full_env = {**os.environ, **(env or {})}
    wrapped = [TIME, "-v", *cmd] if TIME else cmd
    began = time.perf_counter()
    proc = subprocess.run(wrapped, env=full_env, cwd=cwd, capture_output=True, text=True)
    seconds = time.perf_counter() - began
    if proc.returncode != 0:
        raise BenchFailed(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stderr[-3000:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return Run(seconds, int(match.group(1)) / 1024 if match else None, proc.stdout)


def median_run(cmd: list[str], runs: int, env: dict | None = None) -> tuple[Run, list[float]]:
    results = [run_timed(cmd, env) for _ in range(runs)]
    times = [r.seconds for r in results]
    mid = statistics.median(times)
    best = min(results, key=lambda r: abs(r.seconds - mid))
    peak = max((r.peak_rss_mb or 0) for r in results) or None
    return Run(mid, peak, best.stdout), times


def machine() -> dict:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        mem_kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    except (OSError, AttributeError):
        mem_kb = 0
    import duckdb
    import sqlalchemy

    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "os": platform.platform(),
    }


def write_section(results: Path, name: str, text: str) -> None:
    """Replace (or append) one named section of bench/results.md, keeping the others.

    Each benchmark suite (foundation, experiments, leads, channels …) owns one section,
    delimited by HTML comments, so re-running one suite never erases another's figures.
    """
    start, end = f"<!-- section:{name} -->", f"<!-- /section:{name} -->"
    block = f"{start}\n{text.strip()}\n{end}"
    current = results.read_text(encoding="utf-8") if results.exists() else "# Benchmark results\n"
    if start in current and end in current:
        before, rest = current.split(start, 1)
        _, after = rest.split(end, 1)
        updated = before + block + after
    else:
        updated = current.rstrip() + "\n\n" + block + "\n"
    results.write_text(updated, encoding="utf-8")


def run_step_table(module: str, size: str, steps: list[str], title: str, command: str, note: str = "") -> str:
    """Run `python -m MODULE --size SIZE --step NAME` for each step in its own timed process
    (wall time incl. start-up, peak RSS; the step prints one JSON line) and render the
    results.md section: title, machine, command, load average seen, one row per step."""
    import json
    import sys

    load_before = os.getloadavg()[0]
    rows = []
    for name in steps:
        run = run_timed([sys.executable, "-m", module, "--size", size, "--step", name], cwd=REPO)
        lines = run.stdout.strip().splitlines()
        detail = json.loads(lines[-1]) if lines else {"error": "no output"}
        rows.append((name, run.seconds, run.peak_rss_mb, detail))
        print(name, f"{run.seconds:.1f}s", f"{run.peak_rss_mb:.0f}MB", detail, flush=True)
    m = machine()
    out = [f"## {title} ({size})", "",
           f"{m['date']}, {m['nproc']} cores, {m['ram_gb']} GB, DuckDB {m['duckdb']}. Command: `{command}`. "
           f"Load average (1 min) at the start and end of the run: {load_before:.1f} → {os.getloadavg()[0]:.1f} "
           "(other work on the same 2 cores makes the figures upper bounds)." + (f" {note}" if note else ""), "",
           "| step | wall s (process) | peak RSS MB | detail |", "|---|---|---|---|"]
    for name, seconds, rss, detail in rows:
        out.append(f"| {name} | {seconds:.1f} | {rss:.0f} | {json.dumps(detail, default=str)} |")
    return "\n".join(out)
