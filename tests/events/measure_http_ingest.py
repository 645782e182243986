"""Measure end-to-end ingestion through POST /api/v1/events (not a test; run by hand or from bench).

    .venv/bin/python tests/events/measure_http_ingest.py [--events 200000] [--batch 10000] [--clients 2]

Starts uvicorn on 127.0.0.1 (random port) in a subprocess over a fresh data directory, sends
pre-serialised batches from `--clients` loopback threads, and prints events/s counted from the
first request to the last 200 (every acknowledged batch fsynced).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from test_event_http import SECRET, _start_server, _token  # noqa: E402

from b2bgrowth.settings import Settings  # noqa: E402
from b2bgrowth.workspace import Workspace  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=2)
    args = parser.parse_args()
    data_dir = Path(tempfile.mkdtemp()) / "data"
    ws = Workspace(Settings(data_dir=data_dir, secret_key=SECRET))
    headers = {**_token(ws, "ops"), "content-type": "application/json"}
    ws.close()
    bodies = []
    for start in range(0, args.events, args.batch):
        events = [
            {"event_id": f"evt-{n:09d}", "ts": f"2024-03-{1 + n % 28:02d}T{n % 24:02d}:{n % 60:02d}:00Z",
             "account_id": f"A{n % 10000}", "user_id": f"u{n % 50000}", "event": "page_view",
             "properties": {"page": f"/docs/{n % 97}", "channel": "SEO", "session": f"s{n // 7}"}}
            for n in range(start, min(start + args.batch, args.events))
        ]
        bodies.append(json.dumps({"events": events}).encode())
    process, url = _start_server(data_dir, flush_rows=200_000)
    queue = list(reversed(bodies))
    lock = threading.Lock()
    accepted = 0

    def client() -> None:
        nonlocal accepted
        with httpx.Client(base_url=url, headers=headers, timeout=120) as http:
            while True:
                with lock:
                    if not queue:
                        return
                    body = queue.pop()
                response = http.post("/api/v1/events", content=body)
                response.raise_for_status()
                with lock:
                    accepted += response.json()["accepted"]

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        process.wait()
    print(f"{accepted} events in {elapsed:.2f} s = {accepted / elapsed:,.0f} events/s "
          f"(batches of {args.batch}, {args.clients} clients, {sum(map(len, bodies)) / len(bodies) / 1e6:.1f} MB per batch)")


if __name__ == "__main__":
    main()
