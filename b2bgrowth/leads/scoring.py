"""Fit and engagement scores, grades and the MQL test — one row per merged lead.

- fit (0–100): the sum of the points of the fit rules a lead matches (scoring_config), where
  within a rule group only the first matching rule counts; clipped to [0, 100].
- engagement (0–100): Σ points(touch kind) × 0.5^(age days / half-life) over the lead's
  touches (and, when configured, product events of its accounts), capped at engagement_cap.
  A 10-point demo 30 days ago is worth 5.0 with the default 30-day half-life.
- grade: fit letter A–D × engagement digit 1–4 ("A1" is the best), by the configured bands.
- MQL: fit ≥ mql.fit and engagement ≥ mql.engagement.

Everything is column arithmetic (pandas/numpy): rules are evaluated on the distinct values of
a column and mapped back, so a million leads take seconds. Which rules matched is kept as a
bit mask per lead; the text reasons are only built for the rows a caller shows.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from b2bgrowth.leads.bant import parse_bant_frame
from b2bgrowth.leads.scoring_config import FitRule, ScoringConfig, load_config

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

LEAD_COLUMNS = ("lead_id", "created_at", "channel", "status", "employees", "industry", "region", "title",
                "budget", "authority", "need", "timeline")
_ATTRIBUTES = ("employees", "industry", "region", "title", "budget", "authority", "need", "timeline")


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


# -- reading the store ------------------------------------------------------------------------

def _query(ws: Workspace, sql: str, columns: list[str]) -> pd.DataFrame:
    return ws.store.fetch_frame(sql, columns)


def raw_leads(ws: Workspace) -> pd.DataFrame:
    frame = _query(ws, f"SELECT {', '.join(LEAD_COLUMNS)} FROM leads", list(LEAD_COLUMNS))
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    frame["employees"] = pd.to_numeric(frame["employees"], errors="coerce")
    return frame


def merged_lead_frame(ws: Workspace) -> tuple[pd.DataFrame, pd.Series]:
    """(one row per merged lead with its attributes, member lead_id → merged lead_id).

    Identity, status and channel come from de-duplication (leads.dedupe); each attribute is the
    first one known among the members, earliest-created first.
    """
    raw = raw_leads(ws)
    if raw.empty:  # no leads: an empty frame with the right columns (dedupe's empty frame has no types)
        return raw.assign(lead_id=raw["lead_id"].astype(object)), pd.Series(dtype=object)
    from b2bgrowth.leads.dedupe import member_to_lead, merged_leads

    merged = merged_leads(ws)
    mapping = member_to_lead(ws)
    mapping = mapping if isinstance(mapping, pd.Series) else pd.Series(dict(mapping), dtype=object)
    members = raw.assign(merged_id=raw["lead_id"].map(mapping).fillna(raw["lead_id"]))
    members = members.sort_values(["merged_id", "created_at", "lead_id"], kind="stable", na_position="last")
    firsts = members.groupby("merged_id", sort=False)[list(_ATTRIBUTES)].first()
    base = merged[["lead_id", "created_at", "channel", "status"]].copy()
    base["created_at"] = pd.to_datetime(base["created_at"])
    frame = base.join(firsts, on="lead_id").sort_values("lead_id", kind="stable").reset_index(drop=True)
    return frame, mapping


def lead_touches(ws: Workspace, mapping: pd.Series, until: datetime | None = None) -> pd.DataFrame:
    """Touches logged on leads: merged lead_id, at, kind, account_id."""
    touches = _query(ws, "SELECT lead_id, at, kind, account_id FROM touches WHERE lead_id IS NOT NULL",
                     ["lead_id", "at", "kind", "account_id"])
    touches["at"] = pd.to_datetime(touches["at"])
    touches["lead_id"] = touches["lead_id"].map(mapping).fillna(touches["lead_id"])
    if until is not None:
        touches = touches[touches["at"] <= until]
    return touches


# -- fit --------------------------------------------------------------------------------------

def _field_values(frame: pd.DataFrame, bant: pd.DataFrame, field: str) -> pd.Series:
    return {
        "budget": lambda: bant["budget_kind"], "budget_amount": lambda: bant["budget_amount"],
        "authority": lambda: bant["authority_flag"], "need": lambda: bant["need_level"],
        "timeline": lambda: bant["timeline_bucket"],
    }.get(field, lambda: frame[field])()


def _text_test(rule: FitRule):
    if rule.op == "contains_any":
        pattern = re.compile("|".join(re.escape(str(v).lower()) for v in rule.value))
        return lambda text: bool(pattern.search(text))
    if rule.op == "eq":
        wanted = str(rule.value).lower()
        return lambda text: text == wanted
    if rule.op == "in":
        wanted = {str(v).lower() for v in rule.value}
        return lambda text: text in wanted
    return None


def rule_mask(rule: FitRule, values: pd.Series) -> np.ndarray:
    """Which leads match one rule. Text tests run once per distinct value."""
    if rule.op == "missing":
        return values.isna().to_numpy()
    if rule.op == "present":
        return values.notna().to_numpy()
    numeric = rule.op in ("gte", "gt", "lt", "lte", "between") or (
        rule.op in ("eq", "in") and pd.api.types.is_numeric_dtype(values))
    if numeric:
        x = pd.to_numeric(values, errors="coerce").to_numpy(dtype="float64")
        with np.errstate(invalid="ignore"):
            if rule.op == "gte":
                return x >= rule.value
            if rule.op == "gt":
                return x > rule.value
            if rule.op == "lt":
                return x < rule.value
            if rule.op == "lte":
                return x <= rule.value
            if rule.op == "between":
                return (x >= rule.value[0]) & (x < rule.value[1])
            if rule.op == "eq":
                return x == float(rule.value)
            return np.isin(x, [float(v) for v in rule.value])
    test = _text_test(rule)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    hits = np.array([test(str(u).strip().lower()) for u in uniques] + [False], dtype=bool)
    return hits[codes]


def fit_scores(frame: pd.DataFrame, config: ScoringConfig, bant: pd.DataFrame | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(fit score per lead 0–100, bit mask of the rules that counted: bit i = config.fit_rules[i])."""
    if bant is None:
        bant = parse_bant_frame(frame)
    n = len(frame)
    total = np.zeros(n)
    bits = np.zeros(n, dtype=np.int64)
    taken: dict[str, np.ndarray] = {}  # per group: leads already matched by an earlier rule
    for i, rule in enumerate(config.fit_rules[:63]):
        hit = rule_mask(rule, _field_values(frame, bant, rule.field))
        if rule.group is not None:
            already = taken.get(rule.group)
            if already is None:
                already = taken[rule.group] = np.zeros(n, dtype=bool)
            hit = hit & ~already
            already |= hit
        total += np.where(hit, rule.points, 0.0)
        bits |= np.where(hit, np.int64(1) << i, np.int64(0))
    return np.clip(total, 0, 100), bits


def fit_reasons(bits: int, config: ScoringConfig) -> list[dict]:
    return [{"kind": "fit", "text": rule.label, "points": float(rule.points)}
            for i, rule in enumerate(config.fit_rules[:63]) if int(bits) >> i & 1]


# -- engagement -------------------------------------------------------------------------------

def decayed_points(touches: pd.DataFrame, points: dict[str, float], half_life_days: float,
                   as_of: datetime, kind_column: str = "kind", at_column: str = "at") -> np.ndarray:
    """points(kind) × 0.5^(age/half-life) per row; touches in the future count as today."""
    codes, kinds = pd.factorize(touches[kind_column], use_na_sentinel=True)
    weight = np.array([float(points.get(k, 0.0)) for k in kinds] + [0.0])[codes]
    at = pd.to_datetime(touches[at_column]).to_numpy(dtype="datetime64[ns]")
    age = (np.datetime64(as_of, "ns") - at) / np.timedelta64(1, "D")
    return weight * np.exp2(-np.clip(age, 0, None) / half_life_days)


def engagement_by_kind(touches: pd.DataFrame, config: ScoringConfig, as_of: datetime) -> pd.DataFrame:
    """Decayed points per merged lead (rows) and touch kind (columns).

    Summed with one bincount over (lead, kind) codes: a groupby on two string keys takes
    seconds for a few million touches, this a fraction of one.
    """
    if touches.empty:
        return pd.DataFrame(dtype="float64")
    value = decayed_points(touches, config.touch_points, config.half_life_days, as_of)
    leads, lead_ids = pd.factorize(touches["lead_id"], use_na_sentinel=True)
    kinds, kind_names = pd.factorize(touches["kind"], use_na_sentinel=True)
    ok = (leads >= 0) & (kinds >= 0)
    width = len(kind_names)
    sums = np.bincount(leads[ok] * width + kinds[ok], weights=value[ok], minlength=len(lead_ids) * width)
    return pd.DataFrame(sums.reshape(len(lead_ids), width), index=lead_ids, columns=kind_names)


def _event_points(ws: Workspace, touches: pd.DataFrame, config: ScoringConfig, as_of: datetime) -> pd.Series:
    """Decayed points of configured product events, credited to the leads whose touches name
    the account (a lead reaches the product through its company's account)."""
    if not config.event_points or touches.empty:
        return pd.Series(dtype="float64")
    links = touches.dropna(subset=["account_id"])[["lead_id", "account_id"]].drop_duplicates()
    if links.empty:
        return pd.Series(dtype="float64")
    import duckdb

    con = duckdb.connect()
    try:
        ws.events.register_view(con)
        names = list(config.event_points)
        events = con.execute(
            "SELECT account_id, event, ts FROM events WHERE account_id IS NOT NULL AND event IN ("
            + ", ".join("?" for _ in names) + ")", names).df()
    finally:
        con.close()
    if events.empty:
        return pd.Series(dtype="float64")
    events["v"] = decayed_points(events, config.event_points, config.half_life_days, as_of, "event", "ts")
    per_account = events.groupby("account_id")["v"].sum()
    credited = links.join(per_account, on="account_id").dropna(subset=["v"])
    return credited.groupby("lead_id")["v"].sum()


# -- grades ------------------------------------------------------------------------------------

def grades(fit: np.ndarray, engagement: np.ndarray, config: ScoringConfig) -> np.ndarray:
    f, e = config.bands.fit, config.bands.engagement
    letter = np.select([fit >= f[0], fit >= f[1], fit >= f[2]], ["A", "B", "C"], "D")
    digit = np.select([engagement >= e[0], engagement >= e[1], engagement >= e[2]], ["1", "2", "3"], "4")
    return np.char.add(letter.astype("U1"), digit.astype("U1"))


def is_mql(fit: np.ndarray, engagement: np.ndarray, config: ScoringConfig) -> np.ndarray:
    return (fit >= config.mql.fit) & (engagement >= config.mql.engagement)


# -- everything for a workspace ---------------------------------------------------------------

def score_frame(frame: pd.DataFrame, touches: pd.DataFrame, config: ScoringConfig, as_of: datetime,
                extra_engagement: pd.Series | None = None) -> pd.DataFrame:
    """Scores of merged leads `frame` given their touches (lead_id already the merged id)."""
    fit, bits = fit_scores(frame, config)
    by_kind = engagement_by_kind(touches, config, as_of)
    raw_engagement = by_kind.sum(axis=1) if not by_kind.empty else pd.Series(dtype="float64")
    if extra_engagement is not None and not extra_engagement.empty:
        raw_engagement = raw_engagement.add(extra_engagement, fill_value=0.0)
    position = pd.Index(raw_engagement.index).get_indexer(frame["lead_id"])
    engagement = np.where(position >= 0, raw_engagement.to_numpy(dtype="float64")[np.maximum(position, 0)]
                          if len(raw_engagement) else 0.0, 0.0)
    engagement = np.minimum(engagement, config.engagement_cap)
    fit, engagement = np.round(fit, 2), np.round(engagement, 2)
    out = pd.DataFrame({
        "lead_id": frame["lead_id"].to_numpy(), "status": frame["status"].to_numpy(),
        "fit_score": fit, "engagement_score": engagement, "grade": grades(fit, engagement, config),
        "is_mql": is_mql(fit, engagement, config), "fit_bits": bits,
    })
    out.attrs["engagement_by_kind"] = by_kind
    return out


def engagement_reasons(by_kind: pd.DataFrame, lead_id: str, limit: int = 3) -> list[dict]:
    if by_kind.empty or lead_id not in by_kind.index:
        return []
    row = by_kind.loc[lead_id]
    row = row[row >= 0.005].sort_values(ascending=False).head(limit)
    return [{"kind": "engagement", "text": f"{kind} touches (decayed)", "points": round(float(v), 2)}
            for kind, v in row.items()]


def score_leads(ws: Workspace, as_of: datetime | None = None, config: ScoringConfig | None = None) -> pd.DataFrame:
    """Scores of every merged lead in the workspace (see score_frame for the columns)."""
    config = config or load_config(ws)
    as_of = as_of or utc_now()
    frame, mapping = merged_lead_frame(ws)
    touches = lead_touches(ws, mapping)
    extra = _event_points(ws, touches, config, as_of)
    scores = score_frame(frame, touches, config, as_of, extra)
    scores.attrs["config"] = config
    return scores


def engagement_scores(ws: Workspace, as_of: datetime | None = None) -> pd.Series:
    """Engagement score per merged lead_id (for re-qualifying nurture leads)."""
    scores = score_leads(ws, as_of)
    return pd.Series(scores["engagement_score"].to_numpy(), index=scores["lead_id"].to_numpy(), name="engagement_score")
