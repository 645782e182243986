"""`python -m bench.leads_dedupe [--leads 1000000] [--store] [--output PATH]`

De-duplication benchmark (issue 3 item 11): merging 1M leads ≤ 30 s. The leads are generated
with planted duplicates whose expected grouping is known: P distinct people, each with a unique
email, phone and company + name, and D extra rows that re-use one person's key in another
spelling (upper-case email with spaces; +86 / 0086 / 86-13-digit phone; company with 有限公司 /
(中国) / Co., Ltd. suffixes and the same name) — some of them chained (a duplicate carrying a new
email that a further duplicate re-uses), so transitivity is exercised. Correct output = P
merged leads; the benchmark checks that.

Measured:
- `merge_frame` on the in-memory frame (normalise keys, star edges, connected components,
  identity / status roll-up, member lists): the de-duplication itself;
- with --store, also the derived-table computation from a SQLite store (read 1M rows + merge)
  and a cached `merged_leads(ws)` call.
Floor: the same rules in ONE DuckDB session — keys normalised in SQL (lower/trim, regexp
digits and prefixes, suffix regex + punctuation strip) and connected components by iterated
min-label propagation over the star edges until nothing changes.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_OUTPUT = Path("/work/helper-notes/leads-dedupe-bench.md")
STATUSES = np.array(["new", "mql", "sql", "opportunity", "customer", "nurture", "disqualified"], dtype=object)
SUFFIXES = np.array(["有限公司", " (中国) 有限公司", "（中国）有限公司", "集团股份有限公司", " Co., Ltd.", " Inc", " LLC"],
                    dtype=object)


def make_leads(n: int, duplicate_share: float = 0.2, seed: int = 7) -> tuple[pd.DataFrame, int]:
    """(frame, expected number of merged leads)."""
    rng = np.random.default_rng(seed)
    d = int(n * duplicate_share)
    p = n - d
    ids = np.arange(p)
    phone_digits = (13_900_000_000 + ids).astype(str)
    base = pd.DataFrame({
        "email": [f"user{i}@corp{i % 5000}.com" for i in ids],
        "phone": phone_digits.astype(object),
        "company": [f"数联{i // 3}号科技" for i in ids],
        "name": [f"姓名{i}" for i in ids],
    })
    owner = rng.integers(0, p, d)           # which person each duplicate copies
    rule = rng.integers(0, 4, d)            # 0 email, 1 phone, 2 company+name, 3 chain (new email + phone)
    b = base.iloc[owner].reset_index(drop=True)
    email = np.full(d, None, dtype=object)
    phone = np.full(d, None, dtype=object)
    company = np.full(d, None, dtype=object)
    name = np.full(d, None, dtype=object)
    m = rule == 0
    email[m] = ["  " + e.upper() + " " for e in b["email"][m]]
    m = rule == 1
    fmt = rng.integers(0, 3, d)
    phone[m & (fmt == 0)] = ["+86 " + x[:3] + "-" + x[3:7] + "-" + x[7:] for x in b["phone"][m & (fmt == 0)]]
    phone[m & (fmt == 1)] = ["0086 " + x for x in b["phone"][m & (fmt == 1)]]
    phone[m & (fmt == 2)] = ["86" + x for x in b["phone"][m & (fmt == 2)]]
    m = rule == 2
    company[m] = (b["company"][m].to_numpy(dtype=object) + SUFFIXES[rng.integers(0, len(SUFFIXES), d)][m])
    name[m] = [" " + x + " " for x in b["name"][m]]
    m = rule == 3  # chain: carries the person's phone and a fresh email; a later duplicate re-uses that email
    phone[m] = ["+86" + x for x in b["phone"][m]]
    email[m] = [f"chain{j}@mail.cn" for j in np.flatnonzero(m)]
    chained = np.flatnonzero(m)
    # Re-point a quarter of the email duplicates at a chain's fresh email: person ← chain ← this row.
    followers = np.flatnonzero(rule == 0)[: len(chained) // 4]
    email[followers] = [f"CHAIN{j}@MAIL.CN " for j in chained[: len(followers)]]
    dup = pd.DataFrame({"email": email, "phone": phone, "company": company, "name": name})
    frame = pd.concat([base, dup], ignore_index=True)
    order = rng.permutation(n)
    frame = frame.iloc[order].reset_index(drop=True)
    frame.insert(0, "lead_id", [f"L{i:07d}" for i in range(n)])
    frame["created_at"] = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 700 * 86400, n), unit="s")
    frame["status"] = STATUSES[rng.integers(0, len(STATUSES), n)]
    frame["channel"] = np.array(["seo", "sem", "event", "partner", "referral", "telesales"], dtype=object)[
        rng.integers(0, 6, n)]
    for col in ("title", "campaign_id", "industry", "region", "budget", "authority", "need", "timeline", "owner",
                "disqualification_reason", "attributes"):
        frame[col] = None
    frame["employees"] = pd.array(rng.integers(1, 2000, n), dtype="Int64")
    frame["assigned_at"] = pd.NaT
    return frame, p


def _timed(fn, runs: int = 1):
    best, result = float("inf"), None
    for _ in range(runs):
        began = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - began)
    return best, result


FLOOR_KEYS = r"""
CREATE OR REPLACE TABLE k AS
SELECT row_number() OVER () - 1 AS rid,
       nullif(lower(trim(email)), '') AS e,
       CASE WHEN d LIKE '0086%' THEN substr(d, 5) WHEN length(d) = 13 AND d LIKE '86%' THEN substr(d, 3)
            ELSE nullif(d, '') END AS p,
       CASE WHEN c <> '' AND nullif(lower(trim(name)), '') IS NOT NULL THEN c || ' · ' || lower(trim(name)) END AS cn
FROM (SELECT *, regexp_replace(coalesce(phone, ''), '\D', '', 'g') AS d,
             regexp_replace(regexp_replace(lower(coalesce(company, '')),
               '(有限责任公司|股份有限公司|有限公司|集团|\(中国\)|（中国）|co\.|ltd\.|ltd|inc|llc|corp|corporation|company|[\s,.;])+$', ''),
               '[^\p{L}\p{N}]', '', 'g') AS c
      FROM leads)
"""
FLOOR_EDGES = """
CREATE OR REPLACE TABLE edges AS
SELECT rid AS a, min(rid) OVER (PARTITION BY e) AS b FROM k WHERE e IS NOT NULL
UNION ALL SELECT rid, min(rid) OVER (PARTITION BY p) FROM k WHERE p IS NOT NULL
UNION ALL SELECT rid, min(rid) OVER (PARTITION BY cn) FROM k WHERE cn IS NOT NULL;
CREATE OR REPLACE TABLE e2 AS SELECT a, b FROM edges WHERE a <> b UNION ALL SELECT b, a FROM edges WHERE a <> b;
CREATE OR REPLACE TABLE lab AS SELECT rid, rid AS l FROM k;
"""
FLOOR_STEP = """
CREATE OR REPLACE TABLE lab2 AS
SELECT lab.rid, least(lab.l, coalesce(m.l, lab.l)) AS l
FROM lab LEFT JOIN (SELECT e2.a AS rid, min(lab.l) AS l FROM e2 JOIN lab ON lab.rid = e2.b GROUP BY e2.a) m USING (rid)
"""


def duckdb_floor(frame: pd.DataFrame) -> tuple[float, int]:
    import duckdb

    con = duckdb.connect()
    con.register("leads", frame[["lead_id", "email", "phone", "company", "name"]])

    def run() -> int:
        con.execute(FLOOR_KEYS)
        con.execute(FLOOR_EDGES)
        while True:
            con.execute(FLOOR_STEP)
            changed = con.execute("SELECT count(*) FROM lab JOIN lab2 USING (rid) WHERE lab.l <> lab2.l").fetchone()[0]
            con.execute("CREATE OR REPLACE TABLE lab AS SELECT * FROM lab2")
            if changed == 0:
                break
        return con.execute("SELECT count(DISTINCT l) FROM lab").fetchone()[0]

    seconds, groups = _timed(run)
    con.close()
    return seconds, groups


def bench_in_memory(frame: pd.DataFrame, expected: int) -> dict:
    from b2bgrowth.leads.dedupe import _typed, merge_frame

    typed = _typed(frame)
    seconds, (merged, _members) = _timed(lambda: merge_frame(typed))
    floor, floor_groups = duckdb_floor(frame)
    return {"name": f"merge_frame: de-duplicate {len(frame):,} leads in memory", "seconds": seconds, "floor": floor,
            "target": 30.0, "check": f"{len(merged):,} merged leads (planted {expected:,}; DuckDB floor {floor_groups:,})",
            "ok": len(merged) == expected == floor_groups}


def bench_store(frame: pd.DataFrame, expected: int) -> list[dict]:
    from b2bgrowth.leads import dedupe
    from b2bgrowth.leads.models import Lead
    from b2bgrowth.workspace import Workspace

    folder = Path(tempfile.mkdtemp(prefix="bench-dedupe-"))
    ws = Workspace.open(data_dir=folder, secret_key="bench-secret-key-0123456789")
    columns = [c.name for c in Lead.__table__.columns]
    rows = frame[columns].astype(object).where(frame[columns].notna(), None)
    rows["created_at"] = frame["created_at"].dt.strftime("%Y-%m-%d %H:%M:%S.000000")
    with ws.store.write(touched=["leads"]) as session:
        session.connection().exec_driver_sql(
            f"INSERT INTO leads ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})",
            list(rows.itertuples(index=False, name=None)))
    load_s, loaded = _timed(lambda: dedupe.load_leads(ws))
    compute_s, parts = _timed(lambda: dedupe._compute(ws))
    first_s, merged = _timed(lambda: dedupe.merged_leads(ws))  # computes + writes Parquet (cold)
    ws.cache.clear_memory()  # forget the in-process copy: the next call reads the Parquet files
    cached_s, merged = _timed(lambda: dedupe.merged_leads(ws))  # reads Parquet (warm on disk)
    ws.close()
    n = len(frame)
    return [
        {"name": f"store read + merge of {n:,} leads (SQLite → derived table compute)", "seconds": compute_s,
         "floor": None, "target": 30.0, "check": f"{len(parts['merged']):,} merged; reading the rows alone (separate call): {load_s:.1f} s",
         "ok": len(parts["merged"]) == expected},
        {"name": f"merged_leads(ws) first call (compute + Parquet write), {n:,} leads", "seconds": first_s,
         "floor": None, "target": None, "check": "", "ok": True},
        {"name": f"merged_leads(ws) from the Parquet cache, {n:,} leads", "seconds": cached_s, "floor": None,
         "target": None, "check": f"{len(merged):,} merged", "ok": len(merged) == expected},
    ]


def render(rows: list[dict], argv: str) -> str:
    lines = ["## Lead de-duplication benchmark (issue 3 item 11)", "",
             f"Measured {datetime.now():%Y-%m-%d %H:%M} UTC with `python -m bench.leads_dedupe {argv}` on "
             f"{platform.node()} ({platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
             f"pandas {pd.__version__}). The machine is shared with other work; figures vary run to run.", "",
             "Floor: the same three rules in one DuckDB session (keys normalised in SQL, connected components by "
             "iterated min-label propagation until no label changes). Check: the number of merged leads equals the "
             "planted number of people.", "",
             "| case | seconds | floor (s) | × floor | target (s) | meets | check |",
             "| --- | ---: | ---: | ---: | ---: | :---: | --- |"]
    for r in rows:
        floor = f"{r['floor']:.2f}" if r["floor"] else "—"
        ratio = f"{r['seconds'] / r['floor']:.1f}" if r["floor"] else "—"
        target = f"{r['target']:.0f}" if r["target"] else "—"
        meets = "" if not r["target"] else ("yes" if r["seconds"] <= r["target"] else "**no**")
        check = r["check"] + ("" if r["ok"] else " **MISMATCH**")
        lines.append(f"| {r['name']} | {r['seconds']:.2f} | {floor} | {ratio} | {target} | {meets} | {check} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--store", action="store_true", help="Also measure from a SQLite store (slower to set up).")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    frame, expected = make_leads(args.leads)
    print(f"generated {len(frame):,} leads ({expected:,} people) in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    rows = [bench_in_memory(frame, expected)]
    if args.store:
        rows += bench_store(frame, expected)
    text = render(rows, " ".join(sys.argv[1:] if argv is None else argv))
    print(text)
    args.output.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
