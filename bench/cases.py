"""The measurements. Each returns result rows: figure, target, floor and the exact command."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

from bench import datasets
from bench.harness import B2BGROWTH, REPO, BenchFailed, median_run, run_timed

PY = str(Path(B2BGROWTH).parent / "python")
FROM, TO = "2023-12-01", "2026-11-30"  # the demo company's three years, monthly = 36 periods
SECRET = {"B2BGROWTH_SECRET_KEY": "bench-secret-key-0123456789"}


def _row(name, size, figure, unit, target, floor, command, floor_command, ratio=None, notes=""):
    return {"name": name, "size": size, "figure": figure, "unit": unit, "target": target, "floor": floor,
            "ratio": ratio, "command": command, "floor_command": floor_command, "notes": notes}


def bench_import(size: str, runs: int) -> list[dict]:
    """Rows/s of `b2bgrowth import accounts` + `import subscriptions` into an empty SQLite store."""
    root = datasets.ensure_dataset(size)
    files = [datasets.ensure_csv(root, "accounts"), datasets.ensure_csv(root, "subscriptions")]
    rows = sum(sum(1 for _ in f.open(encoding="utf-8-sig")) - 1 for f in files)
    times, peak = [], 0.0
    for _ in range(runs):
        with tempfile.TemporaryDirectory(dir=root) as tmp:
            total = 0.0
            for entity, path in zip(("accounts", "subscriptions"), files):
                run = run_timed([B2BGROWTH, "--data-dir", tmp, "import", entity, str(path)], SECRET)
                total += run.seconds
                peak = max(peak, run.peak_rss_mb or 0)
            times.append(total)
    seconds = sorted(times)[len(times) // 2]
    floor_cmd = [PY, "-m", "bench.floors", "import", *map(str, files)]
    floor, _ = median_run(floor_cmd, runs)
    command = f"b2bgrowth --data-dir EMPTY import accounts {files[0].relative_to(REPO)} && … import subscriptions {files[1].relative_to(REPO)}"
    return [_row("import rows/s (accounts + subscriptions CSV → empty SQLite)", size, rows / seconds, "rows/s", None,
                 rows / floor.seconds, command, " ".join(floor_cmd[1:]), ratio=seconds / floor.seconds,
                 notes=f"{rows:,} rows in {seconds:.1f} s (median of {runs}); peak RSS {peak:.0f} MB")]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _event_batches(folder: Path, n_events: int, batch: int = 10_000) -> list[bytes]:
    """JSON bodies of the S company's usage events, `batch` per body; also written to `folder` for the floor."""
    import numpy as np

    from b2bgrowth.demo import contracts, firmographics, usage
    from b2bgrowth.demo.generator import HISTORY_START, HORIZON

    rng = np.random.default_rng(42)
    frame = firmographics.draw_accounts(rng, 2000, HORIZON)
    book = contracts.simulate_contracts(rng, frame, HISTORY_START, HORIZON)
    # The generator lands near its target, not on it: ask for 10 % more, keep exactly n_events.
    tables = usage.event_batches(rng, frame, book, HISTORY_START, HORIZON, int(n_events * 1.10))
    records = []
    for table in tables:
        for r in table.to_pylist():
            r["ts"] = r["ts"].isoformat() + "Z"
            r["properties"] = json.loads(r["properties"])
            records.append(r)
    if len(records) < n_events:
        raise BenchFailed(f"the generator gave {len(records):,} events, fewer than the {n_events:,} asked for")
    records = records[:n_events]
    bodies = []
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(records), batch):
        body = json.dumps({"events": records[k:k + batch]}, ensure_ascii=False).encode()
        (folder / f"batch{k // batch:04d}.json").write_bytes(body)
        bodies.append(body)
    return bodies


def bench_ingest(n_events: int, runs: int) -> list[dict]:
    """Events/s through POST /api/v1/events (10,000 per batch, one keep-alive connection, each 200 = durable)."""
    import httpx

    from b2bgrowth.auth.service import create_token, create_user
    from b2bgrowth.settings import Settings
    from b2bgrowth.workspace import Workspace

    work = datasets.DATA / "ingest"
    shutil.rmtree(work, ignore_errors=True)
    bodies = _event_batches(work / "json", n_events)
    n_sent = n_events  # exactly, see _event_batches
    results = []
    for _ in range(runs):
        data_dir = work / "store"
        shutil.rmtree(data_dir, ignore_errors=True)
        ws = Workspace(Settings(data_dir=data_dir, **{"secret_key": SECRET["B2BGROWTH_SECRET_KEY"]}))
        create_user(ws, "bench", "admin", "bench-password-123")
        token = create_token(ws, "bench")
        ws.close()
        port = _free_port()
        server = subprocess.Popen([B2BGROWTH, "--data-dir", str(data_dir), "serve", "--host", "127.0.0.1", "--port", str(port)],
                                  env={**os.environ, **SECRET}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            url = f"http://127.0.0.1:{port}"
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            with httpx.Client(base_url=url, headers=headers, timeout=120) as client:
                for _ in range(200):
                    try:
                        client.get("/api/v1/reports")
                        break
                    except httpx.TransportError:
                        time.sleep(0.1)
                began = time.perf_counter()
                accepted = 0
                for body in bodies:
                    response = client.post("/api/v1/events", content=body)
                    if response.status_code != 200:
                        raise BenchFailed(f"POST /api/v1/events → {response.status_code}: {response.text[:500]}")
                    accepted += response.json().get("accepted", 0)
                seconds = time.perf_counter() - began
            # The server flushes what is still buffered (or being flushed) to Parquet on shutdown:
            # time that too, so the figure "until everything is in Parquet" is reported as well.
            server.terminate()
            server.wait(timeout=120)
            drained = time.perf_counter() - began
            results.append((n_sent / seconds, accepted, seconds, drained))
        finally:
            if server.poll() is None:
                server.terminate()
                server.wait(timeout=30)
    rate, accepted, seconds, drained = sorted(results)[len(results) // 2]
    floor_out = work / "floor-parquet"
    floor_cmd = [PY, "-m", "bench.floors", "ingest", str(work / "json"), str(floor_out)]
    floor, _ = median_run(floor_cmd, runs)
    shutil.rmtree(floor_out, ignore_errors=True)
    n = n_sent
    return [_row("event ingestion via HTTP API", "-", rate, "events/s", 50_000, n / floor.seconds,
                 f"POST /api/v1/events × {len(bodies)} batches of 10,000 (httpx, 1 keep-alive connection) to "
                 "`b2bgrowth serve` on 127.0.0.1", " ".join(floor_cmd[1:]), ratio=(n / floor.seconds) / rate,
                 notes=f"{n:,} events acknowledged in {seconds:.1f} s (median of {runs}); {accepted:,} accepted; until the server had also written the last buffer to "
                       f"Parquet and exited: {drained:.1f} s = {n / drained:,.0f} events/s. Flushes run in the background, "
                       "one at a time (an ingest that fills the buffer again waits), so the acknowledged rate includes "
                       "every flush but the last")]


def bench_report(size: str, runs: int) -> list[dict]:
    root = datasets.ensure_dataset(size)
    store = root / "store"
    cmd = [B2BGROWTH, "--data-dir", str(store), "report", "revenue", "--period", "month", "--from", FROM, "--to", TO, "--json"]
    first = run_timed(cmd, SECRET)  # may recompute stale derived tables first
    periods = len(json.loads(first.stdout)["periods"])
    warm, times = median_run(cmd, runs, SECRET)
    floor_cmd = [PY, "-m", "bench.floors", "revenue", str(datasets.ensure_parquet(root)), FROM, TO]
    floor, _ = median_run(floor_cmd, runs)
    counts = datasets.counts(size)
    target = 2.0 if size == "L" else None
    shown = " ".join(c if not c.startswith("/") else Path(c).name if c == B2BGROWTH else str(Path(c).relative_to(REPO)) for c in cmd)
    return [_row("revenue report, monthly, 3 years (CLI)", size, warm.seconds, "s", target, floor.seconds, shown,
                 " ".join(floor_cmd[1:]).replace(str(REPO) + "/", ""), ratio=warm.seconds / floor.seconds,
                 notes=(f"{counts['accounts']:,} accounts, {counts['subscriptions']:,} subscription rows, {periods} periods; "
                        f"median of {runs} {', '.join(f'{t:.2f}' for t in times)} s; first run (incl. recompute) "
                        f"{first.seconds:.2f} s; peak RSS {warm.peak_rss_mb or 0:.0f} MB (first {first.peak_rss_mb or 0:.0f} MB)"))]


def bench_demo(runs: int) -> list[dict]:
    times, peak = [], 0.0
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as tmp:
            run = run_timed([B2BGROWTH, "--data-dir", tmp, "demo", "--size", "S", "--no-serve"])
            times.append(run.seconds)
            peak = max(peak, run.peak_rss_mb or 0)
    seconds = sorted(times)[len(times) // 2]
    return [_row("demo ready to serve (S)", "S", seconds, "s", 60.0, None,
                 "b2bgrowth --data-dir EMPTY demo --size S --no-serve", "", notes=f"median of {runs}; peak RSS {peak:.0f} MB; "
                 "`make demo` = this + `serve` on an installed venv")]
