"""Generated companies for the benchmarks, one per size, kept in bench/data/SIZE (git-ignored)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
# Events generated with each size's store. L's 50M events are not needed by any figure (the
# ingestion benchmark posts its own batches) and take long on 2 cores: opt in with --l-events.
DEFAULT_EVENTS = {"S": None, "M": None, "L": 0}


def _settings(data_dir: Path):
    from b2bgrowth.settings import Settings

    return Settings(data_dir=data_dir, secret_key="bench-secret-key-0123456789")


def ensure_dataset(size: str, events: int | None = None, log=print) -> Path:
    """bench/data/SIZE/store holds the demo company of that size (seed 42); generated once."""
    from b2bgrowth.demo.generator import generate_company
    from b2bgrowth.workspace import Workspace

    root = DATA / size
    marker = root / "ready.json"
    if marker.exists():
        return root
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    events = DEFAULT_EVENTS.get(size) if events is None else events
    log(f"generating size {size} into {root / 'store'} …")
    began = time.perf_counter()
    ws = Workspace(_settings(root / "store"))
    try:
        summary = generate_company(ws, size=size, seed=42, events=events)
    finally:
        ws.close()
    seconds = time.perf_counter() - began
    log(f"  {summary.counts} in {seconds:.0f} s")
    marker.write_text(json.dumps({"counts": summary.counts, "seconds": seconds}, indent=2))
    return root


def counts(size: str) -> dict:
    return json.loads((DATA / size / "ready.json").read_text())["counts"]


def ensure_csv(root: Path, entity: str) -> Path:
    """The entity exported with `b2bgrowth export` (interchange format), once."""
    from b2bgrowth.interchange.exporter import export_file
    from b2bgrowth.workspace import Workspace

    path = root / "csv" / f"{entity}.csv"
    if not path.exists():
        path.parent.mkdir(exist_ok=True)
        ws = Workspace(_settings(root / "store"))
        try:
            export_file(ws, entity, path)
        finally:
            ws.close()
    return path


def ensure_parquet(root: Path) -> Path:
    """subscriptions, accounts and exchange_rates as Parquet: the input of the DuckDB floor queries."""
    import pandas as pd
    from sqlalchemy import create_engine

    folder = root / "parquet"
    if (folder / "subscriptions.parquet").exists():
        return folder
    folder.mkdir(exist_ok=True)
    engine = create_engine(f"sqlite:///{root / 'store' / 'b2bgrowth.sqlite'}")
    for table in ("subscriptions", "accounts", "exchange_rates"):
        frame = pd.read_sql_table(table, engine)
        if "attributes" in frame:
            frame["attributes"] = frame["attributes"].map(lambda v: None if v is None else json.dumps(v, ensure_ascii=False))
        frame.to_parquet(folder / f"{table}.parquet", index=False)
    engine.dispose()
    return folder
