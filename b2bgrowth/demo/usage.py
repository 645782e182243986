"""Product usage events and NPS responses.

Events are drawn in whole arrays and handed to the event store as Arrow tables, a chunk of
accounts at a time so memory stays flat even at 50M events. Usage follows the contracts:
events only while an account uses the product, fewer on weekends, and in the last months before
a churn (or for accounts at risk today) both the event rate and the number of distinct active
users fade — the signal churn prediction will look for later.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from b2bgrowth.demo import vocab
from b2bgrowth.demo.contracts import ContractBook
from b2bgrowth.demo.firmographics import AccountFrame

FADE_DAYS = 120
# Weekends and fading usage drop about a quarter of the drawn events; draw that much more.
OVERSAMPLE = 1.33


def _interval_arrays(book: ContractBook, horizon: int):
    iv = book.intervals
    account = np.fromiter((x.account for x in iv), np.int64, len(iv))
    start = np.maximum(np.fromiter((x.start for x in iv), np.int64, len(iv)), 0)
    end = np.minimum(np.fromiter((x.end for x in iv), np.int64, len(iv)), horizon + 1)
    users = np.fromiter((x.users for x in iv), np.int64, len(iv))
    decays = np.fromiter((x.decays for x in iv), bool, len(iv))
    connector = np.fromiter((x.connector for x in iv), bool, len(iv))
    keep = end > start
    return account[keep], start[keep], end[keep], users[keep], decays[keep], connector[keep]


def event_batches(rng: np.random.Generator, frame: AccountFrame, book: ContractBook, start: date,
                  horizon: int, target_events: int, chunk_events: int = 2_000_000) -> Iterator[pa.Table]:
    """Arrow tables (event_id, ts, account_id, user_id, event, properties) totalling ~target_events."""
    account, first, last, users, decays, connector = _interval_arrays(book, horizon)
    if target_events <= 0 or len(account) == 0:
        return
    # Expected volume ∝ active user-days; scale so the total lands on the target.
    weight = (last - first) * np.sqrt(users).astype(float)
    counts = rng.poisson(OVERSAMPLE * target_events * weight / weight.sum())
    names = [e[0] for e in vocab.USAGE_EVENTS]
    props = [e[1] for e in vocab.USAGE_EVENTS]
    p_plain = np.array([0.0 if e[3] else e[2] for e in vocab.USAGE_EVENTS])
    p_conn = np.array([float(e[2]) for e in vocab.USAGE_EVENTS])
    p_plain, p_conn = p_plain / p_plain.sum(), p_conn / p_conn.sum()
    account_ids = pa.array(frame.ids.astype(str))
    epoch = np.datetime64(start, "us")
    weekday0 = start.weekday()
    serial = 0
    bounds = np.r_[0, np.cumsum(counts)]
    lo = 0
    while lo < len(counts):
        # Whole intervals per chunk, about chunk_events events each.
        hi = int(np.searchsorted(bounds, bounds[lo] + chunk_events, side="right")) - 1
        hi = min(max(hi, lo + 1), len(counts))
        n = int(bounds[hi] - bounds[lo])
        idx = np.repeat(np.arange(lo, hi), counts[lo:hi])
        lo = hi
        if n == 0:
            continue
        length = last[idx] - first[idx]
        day = first[idx] + np.floor(rng.random(n) * length).astype(np.int64)
        remaining = last[idx] - day
        fade = np.where(decays[idx], np.clip(remaining / FADE_DAYS, 0.1, 1.0), 1.0)
        weekend = ((day + weekday0) % 7) >= 5
        keep = rng.random(n) < fade * np.where(weekend, 0.2, 1.0)
        # Fewer distinct people as usage fades: user index drawn from a shrinking pool.
        pool = np.maximum(1, np.round(users[idx] * fade)).astype(np.int64)
        user_no = np.floor(rng.random(n) ** 1.6 * pool).astype(np.int64) + 1
        seconds = np.clip(rng.normal(14.5 * 3600, 3 * 3600, n), 0, 86_399).astype(np.int64)
        kind = np.where(connector[idx], rng.choice(len(names), n, p=p_conn), rng.choice(len(names), n, p=p_plain))
        day, user_no, seconds, kind, acct = day[keep], user_no[keep], seconds[keep], kind[keep], account[idx][keep]
        order = np.lexsort((seconds, day))  # time order inside a chunk: friendlier Parquet files
        day, user_no, seconds, kind, acct = day[order], user_no[order], seconds[order], kind[order], acct[order]
        m = len(day)
        ts = epoch + (day * 86_400 + seconds).astype("timedelta64[s]").astype("timedelta64[us]")
        ids = pc.binary_join_element_wise("E", pc.cast(pa.array(np.arange(serial, serial + m)), pa.string()), "")
        serial += m
        acct_arr = account_ids.take(pa.array(acct))
        user_arr = pc.binary_join_element_wise(acct_arr, pc.cast(pa.array(user_no), pa.string()), "-U")
        kind_arr = pa.array(kind.astype(np.int32))
        yield pa.table({
            "event_id": ids,
            "ts": pa.array(ts, pa.timestamp("us")),
            "account_id": acct_arr,
            "user_id": user_arr,
            "event": pa.DictionaryArray.from_arrays(kind_arr, pa.array(names)).cast(pa.string()),
            "properties": pa.DictionaryArray.from_arrays(kind_arr, pa.array(props)).cast(pa.string()),
        })


def nps_rows(rng: np.random.Generator, frame: AccountFrame, book: ContractBook, contacts: list[dict],
             start: date, horizon: int) -> list[dict]:
    """Surveys twice a year to paying accounts; detractors cluster in the months before a churn."""
    by_account: dict[str, list[str]] = {}
    for c in contacts:
        by_account.setdefault(c["account_id"], []).append(c["contact_id"])
    base = datetime.combine(start, datetime.min.time())
    rows: list[dict] = []
    survey_days = np.arange(45, horizon, 182)
    draws = rng.random((len(book.intervals), len(survey_days), 5))
    for k, iv in enumerate(book.intervals):
        if iv.users <= 0 or iv.end - iv.start < 60:
            continue
        acct = str(frame.ids[iv.account])
        people = by_account.get(acct) or [None]
        english = bool(frame.overseas[iv.account]) or frame.names[iv.account][0].isascii()
        for j, day in enumerate(survey_days):
            if not (iv.start <= day < iv.end) or draws[k, j, 0] > 0.55:
                continue
            near_end = iv.decays and iv.end - day < 200
            u = draws[k, j, 1]
            p_detractor, p_passive = (0.55, 0.3) if near_end else (0.18, 0.34)
            if u < p_detractor:
                score, group = int(draws[k, j, 2] * 7), "detractor"
            elif u < p_detractor + p_passive:
                score, group = 7 + int(draws[k, j, 2] * 2), "passive"
            else:
                score, group = 9 + int(draws[k, j, 2] * 2), "promoter"
            comment = None
            if draws[k, j, 3] < 0.6:
                texts = vocab.NPS_COMMENTS[group]["en" if english else "zh"]
                comment = texts[int(draws[k, j, 4] * len(texts))]
            at = base + timedelta(days=int(day) + int(draws[k, j, 4] * 10), hours=9 + int(draws[k, j, 3] * 9))
            rows.append({
                "response_id": f"N{len(rows) + 1:07d}", "at": at, "account_id": acct,
                "contact_id": people[int(draws[k, j, 2] * len(people))], "score": score, "comment": comment,
                "attributes": {"survey": f"{at.year}H{1 if at.month <= 6 else 2}"},
            })
    return rows


Progress = Callable[[str, int, int], None]
