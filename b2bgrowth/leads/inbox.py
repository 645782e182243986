"""The lead inbox on frames: filter, count, sort and page the merged leads as columns, then mask
and format only the 25 rows of the page (GET /leads; b2bgrowth/leads/web.py keeps the route).

What a request used to cost at 100k leads, and what it costs now (bench/leads_inbox.py):
- the merged leads come from leads.dedupe (a derived table, in memory once per store revision);
- the SLA clock of every waiting lead (leads.sla) is computed once per store state: asked with a
  far-future `now`, sla.overdue returns every untouched waiting lead with its due time, and a
  request only compares those due times with its own now;
- scores and grades: the "leads" report builds reasons for every lead (tens of seconds at 100k);
  the inbox shows no reasons, so it takes the same columns from the same building blocks
  (scoring.score_frame, the conversion model's probabilities) — test_inbox_frames.py checks they
  equal the report's. Engagement decays with time, so scores are recomputed when the store
  changed or when they are older than SCORES_MAX_AGE (a 30-day half-life moves a score by
  ~0.02 % in 10 minutes); the store reads behind them (leads, members, touches) are kept per
  store state.
Caches are per workspace object and keyed on ws.store.revisions(INPUT_ENTITIES), as
success/signals.py does; kept scores also carry the conversion model's key (opportunities
change the model, not the merged leads).

Semantics are those of the row-by-row version (tests/web_leads/test_inbox_properties.py): the
text search looks at what the role sees (a viewer searches masked e-mails and phones), one
string "lead_id name company email phone" per lead, lower-cased.

Accounts (leads/account_links.py): the merged lead's account_id is a column of the state; the
"existing customers only" filter is one isin mask against the set of accounts paying today (kept
per subscriptions revision and day); the account's name, tier and paying flag are looked up for
the page's rows only.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from math import ceil
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from b2bgrowth.auth.security import mask_email, mask_personal, mask_phone, may_see
from b2bgrowth.reporting.jsonable import plain

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

PER_PAGE = 25
# How far a status has come (SPEC C2); nurture and disqualified reach nothing.
STATUS_RANK = {"new": 0, "mql": 1, "sql": 2, "opportunity": 3, "customer": 4, "nurture": -1, "disqualified": -1}
INPUT_ENTITIES = ("leads", "lead_merges", "lead_transitions", "touches")  # opportunities: via the model's key
SCORES_MAX_AGE = timedelta(minutes=10)
SCORE_COLUMNS = ("fit_score", "engagement_score", "grade", "predicted_conversion")
SEARCHED = ("lead_id", "name", "company", "email", "phone")
FAR_FUTURE = datetime(2200, 1, 1)  # every SLA due time is before it (pandas timestamps end in 2262)

@dataclass
class InboxState:
    """Everything the inbox needs that depends only on the store's state (not on the clock)."""

    key: str                             # the cache key (ws.cache)
    merged: pd.DataFrame                 # leads.dedupe.merged_leads (the cached copy: never modified)
    owner: np.ndarray                    # object: owner or None
    due_at: np.ndarray                   # datetime64[ns]: SLA due time of untouched waiting leads, else NaT
    sla_error: str | None
    id_rank: np.ndarray                  # position of each lead_id in sorted order (the last sort key)
    created: np.ndarray                  # datetime64[ns], NaT where created_at is missing
    created_ns: np.ndarray               # int64, 0 where created_at is missing (the sort key, as before)
    status: np.ndarray                   # object arrays of the merged frame's columns (Arrow-backed there)
    channel: np.ndarray
    account: np.ndarray                  # object: the merged lead's account_id or None
    owners: list[str]
    channels: list[str]
    scoring_inputs: tuple | None = None  # (frame, mapping, touches) of leads.scoring, read once
    scores: dict = field(default_factory=dict)  # {"at": datetime, "config": …, "columns": {…}}
    texts: dict = field(default_factory=dict)   # (email visible, phone visible) -> pa.Array lower-case text


def _key(ws: Workspace, hours: float | None) -> str:
    return ws.cache.key("inbox", entities=INPUT_ENTITIES, extra={"sla_hours": hours})


def _sla_due(ws: Workspace, merged: pd.DataFrame) -> tuple[np.ndarray, str | None]:
    """Due time per merged lead for the untouched waiting ones (NaT for the rest)."""
    from b2bgrowth.leads.sla import overdue

    due = np.full(len(merged), np.datetime64("NaT"), dtype="datetime64[ns]")
    try:
        rows = overdue(ws, FAR_FUTURE)
    except ValueError as exc:  # a bad SLA setting: say so on the page rather than fail it
        return due, str(exc)
    if rows:
        position = pd.Index(merged["lead_id"]).get_indexer([r["lead_id"] for r in rows])
        ok = position >= 0
        due[position[ok]] = pd.to_datetime([r["due_at"] for r in rows]).to_numpy(dtype="datetime64[ns]")[ok]
    return due, None


def _state(ws: Workspace) -> InboxState:
    from b2bgrowth.leads.sla import sla_hours

    try:
        hours = sla_hours(ws)
    except ValueError:
        hours = None
    key = _key(ws, hours)
    return ws.cache.get_or_compute("inbox", key, lambda: _build_state(ws, key))


def _build_state(ws: Workspace, key: str) -> InboxState:
    from b2bgrowth.leads.dedupe import merged_leads

    merged = merged_leads(ws)
    owner = merged["owner"].to_numpy(dtype=object) if "owner" in merged else np.full(len(merged), None, object)
    # owner_of(): the owner column when set (attributes are JSON text here, never a dict).
    owner = np.where(pd.Series(owner, dtype=object).fillna("").astype(bool).to_numpy(), owner, None)
    due_at, sla_error = _sla_due(ws, merged)
    created = pd.to_datetime(merged["created_at"]).to_numpy(dtype="datetime64[ns]")
    created_ns = np.where(np.isnat(created), 0, created.astype("int64"))
    ids = merged["lead_id"].to_numpy(dtype=object)
    id_rank = np.empty(len(ids), dtype=np.int64)
    id_rank[np.argsort(ids.astype(str), kind="stable")] = np.arange(len(ids))
    channel = merged["channel"].to_numpy(dtype=object)
    account = (merged["account_id"].to_numpy(dtype=object) if "account_id" in merged
               else np.full(len(merged), None, object))
    return InboxState(
        key=key, merged=merged, owner=owner, due_at=due_at, sla_error=sla_error, id_rank=id_rank,
        created=created, created_ns=created_ns, status=merged["status"].to_numpy(dtype=object), channel=channel,
        account=account, owners=sorted({o for o in owner if isinstance(o, str) and o}),
        channels=sorted({c for c in channel if isinstance(c, str) and c}),
    )


# -- scores (the "leads" report's columns, without its reasons) --------------------------------------

def _scoring_inputs(ws: Workspace, state: InboxState) -> tuple:
    from b2bgrowth.leads.scoring import lead_touches, merged_lead_frame

    if state.scoring_inputs is None:
        frame, mapping = merged_lead_frame(ws)
        state.scoring_inputs = (frame, mapping, lead_touches(ws, mapping))
    return state.scoring_inputs


def score_columns(ws: Workspace, as_of: datetime | None = None, state: InboxState | None = None) -> pd.DataFrame:
    """lead_id, fit_score, engagement_score, grade, predicted_conversion per merged lead — what the
    "leads" report gives for those fields (same functions, same as_of convention), by lead_id."""
    from b2bgrowth.leads.prediction import current_model, lead_features
    from b2bgrowth.leads.scoring import _event_points, score_frame, utc_now
    from b2bgrowth.leads.scoring_config import load_config

    state = state or _state(ws)
    config = load_config(ws)
    as_of = as_of or utc_now()
    frame, _, touches = _scoring_inputs(ws, state)
    scores = score_frame(frame, touches, config, as_of, _event_points(ws, touches, config, as_of))
    probability = np.full(len(frame), np.nan)
    model = current_model(ws)
    if model.status == "trained" and len(frame):
        cutoff = pd.Series(np.full(len(frame), np.datetime64(as_of, "ns")), index=frame.index)
        probability, _ = model.predict(lead_features(frame, touches, cutoff))
        probability = np.asarray(probability, dtype="float64")
    return pd.DataFrame({
        "lead_id": scores["lead_id"].to_numpy(dtype=object),
        "fit_score": scores["fit_score"].to_numpy(dtype="float64"),
        "engagement_score": scores["engagement_score"].to_numpy(dtype="float64"),
        "grade": scores["grade"].astype(str).to_numpy(dtype=object),
        "predicted_conversion": np.round(probability, 4),
    })


def _scores(ws: Workspace, state: InboxState, errors: list[str]) -> dict[str, np.ndarray] | None:
    """Score columns aligned with state.merged, recomputed when older than SCORES_MAX_AGE."""
    from b2bgrowth.leads.prediction import current_model
    from b2bgrowth.leads.scoring import utc_now

    now = utc_now()
    kept = state.scores
    try:
        model_key = current_model(ws).key  # retrained when leads, touches or opportunities changed
    except (ValueError, LookupError):
        model_key = None
    if kept and now - kept["at"] <= SCORES_MAX_AGE and kept["model"] == model_key:
        return kept["columns"]
    try:
        frame = score_columns(ws, now, state)
    except (ValueError, LookupError) as exc:  # a bad scoring file, … : as run_report words it
        errors.append(f"leads: {exc}")
        return None
    position = pd.Index(frame["lead_id"]).get_indexer(state.merged["lead_id"])
    found = position >= 0
    take = np.maximum(position, 0)
    columns = {}
    for name in SCORE_COLUMNS:
        values = frame[name].to_numpy()[take] if len(frame) else np.full(len(position), np.nan)
        if name == "grade":
            columns[name] = np.where(found, values, None).astype(object)
        else:
            columns[name] = np.where(found, values.astype("float64"), np.nan)
    columns["grade_text"] = pa.array(columns["grade"], type=pa.string())  # for the vectorised prefix test
    state.scores = {"at": now, "model": model_key, "columns": columns}
    return columns


def lead_score(ws: Workspace, lead_id: str, as_of: datetime | None = None) -> dict | None:
    """The "leads" report's row for one merged lead (reasons included), computed for that lead
    alone: fit, engagement and the model's features are per lead, so restricting the frame and
    the touches to it changes nothing (test_inbox_frames.py compares with the report)."""
    from b2bgrowth.leads.prediction import predictions
    from b2bgrowth.leads.scoring import _event_points, engagement_reasons, fit_reasons, score_frame, utc_now
    from b2bgrowth.leads.scoring_config import load_config

    state = _state(ws)
    config = load_config(ws)
    as_of = as_of or utc_now()
    frame, _, touches = _scoring_inputs(ws, state)
    one = frame[frame["lead_id"] == lead_id].reset_index(drop=True)
    if one.empty:
        return None
    its = touches[touches["lead_id"] == lead_id].reset_index(drop=True)
    scores = score_frame(one, its, config, as_of, _event_points(ws, its, config, as_of))
    probability, model_reasons = predictions(ws, one, its, as_of)
    row = next(scores.itertuples(index=False))
    p = probability[0]
    return {
        "lead_id": row.lead_id, "status": row.status, "fit_score": float(row.fit_score),
        "engagement_score": float(row.engagement_score), "grade": str(row.grade),
        "predicted_conversion": None if np.isnan(p) else round(float(p), 4),
        "reasons": fit_reasons(row.fit_bits, config) + engagement_reasons(scores.attrs["engagement_by_kind"], row.lead_id)
        + model_reasons[0],
        "account_id": _account_of(state, lead_id),
    }


def _account_of(state: InboxState, lead_id: str) -> str | None:
    found = np.flatnonzero(state.merged["lead_id"].to_numpy(dtype=object) == lead_id)
    value = state.account[found[0]] if found.size else None
    return value if isinstance(value, str) else None


def sla_due(ws: Workspace, lead_id: str, now: datetime) -> datetime | None:
    """The lead's SLA due time when it is overdue at `now` (else None), from the kept due times."""
    state = _state(ws)
    found = np.flatnonzero(state.merged["lead_id"].to_numpy(dtype=object) == lead_id)
    if not found.size or np.isnat(state.due_at[found[0]]):
        return None
    due = state.due_at[found[0]]
    return pd.Timestamp(due).to_pydatetime() if due < np.datetime64(pd.Timestamp(now).to_datetime64(), "ns") else None


# -- text search -------------------------------------------------------------------------------

def _as_text(value) -> str:
    """str(value or "") of a cleaned value: None, NaN and empty give ""."""
    if value is None or (not isinstance(value, str) and pd.isna(value)) or not value:
        return ""
    return str(value)


def _search_text(state: InboxState, role: str) -> pa.Array:
    """Lower-case "lead_id name company email phone" per lead, as the role sees the fields."""
    visible = (may_see(role, "email"), may_see(role, "phone"))
    text = state.texts.get(visible)
    if text is None:
        merged = state.merged
        parts = []
        for column in SEARCHED:
            values = merged[column].to_numpy(dtype=object) if column in merged else np.full(len(merged), None, object)
            if column == "email" and not visible[0]:
                values = [mask_email(v) if isinstance(v, str) else v for v in values]
            elif column == "phone" and not visible[1]:
                values = [mask_phone(v) if isinstance(v, str) else v for v in values]
            parts.append([_as_text(v) for v in values])
        text = pa.array([" ".join(row).lower() for row in zip(*parts)], type=pa.string())
        state.texts[visible] = text
    return text


# -- the page ------------------------------------------------------------------------------------

_clean = plain  # pandas NaN/NaT → None so templates can test `is none`


def matches(state: InboxState, scores: dict | None, role: str, now: datetime, status: str = "", owner: str = "",
            grade: str = "", sla: str = "", q: str = "", channel: str = "",
            created: tuple[date | None, date | None] = (None, None), reached: str = "",
            customers: frozenset[str] | None = None) -> np.ndarray:
    """Boolean mask over state.merged: the rows meeting every filter. `customers`: when given,
    only leads whose account is in it (the accounts paying today: "existing customers only")."""
    merged = state.merged
    n = len(merged)
    keep = np.ones(n, dtype=bool)
    overdue = state.due_at < np.datetime64(pd.Timestamp(now).to_datetime64(), "ns")
    statuses = state.status
    if status:
        keep &= statuses == status
    if owner:
        keep &= state.owner == owner
    if grade:
        if scores is None:  # no scores: no lead has a grade, so none starts with one
            keep &= False
        else:
            hit = pc.starts_with(scores["grade_text"], grade)
            keep &= pc.fill_null(hit, False).to_numpy(zero_copy_only=False).astype(bool)
    if sla == "overdue":
        keep &= overdue
    if channel:
        keep &= state.channel == channel
    if customers is not None:
        keep &= pd.Series(state.account, dtype=object).isin(customers).to_numpy(dtype=bool)
    if reached:
        rank = pd.Series(statuses, dtype=object).map(STATUS_RANK).fillna(-1).to_numpy()
        keep &= rank >= STATUS_RANK[reached]
    if created[0] or created[1]:
        at = state.created
        known = ~np.isnat(at)
        keep &= known
        if created[0]:
            keep &= at >= np.datetime64(created[0], "ns")
        if created[1]:
            keep &= at < np.datetime64(created[1] + timedelta(days=1), "ns")
    needle = q.strip().lower()
    if needle and keep.any():
        hit = pc.match_substring(_search_text(state, role), needle).to_numpy(zero_copy_only=False)
        keep &= hit.astype(bool)
    return keep


def order(state: InboxState, scores: dict | None, rows: np.ndarray, now: datetime) -> np.ndarray:
    """`rows` (positions) sorted: overdue first, then the likeliest to convert, then the newest, then lead_id.
    A missing (or zero) predicted conversion sorts after every positive one, as `p or -1` did."""
    overdue = state.due_at[rows] < np.datetime64(pd.Timestamp(now).to_datetime64(), "ns")
    if scores is not None:
        p = scores["predicted_conversion"][rows]
        likely = np.where(np.nan_to_num(p, nan=0.0) != 0, -np.nan_to_num(p, nan=0.0), 1.0)
    else:
        likely = np.ones(len(rows))
    return rows[np.lexsort((state.id_rank[rows], -state.created_ns[rows], likely, ~overdue))]


def page_rows(state: InboxState, scores: dict | None, rows: np.ndarray, role: str, now: datetime,
              ws: Workspace | None = None) -> list[dict]:
    """The page's rows as the template reads them: masked, cleaned, with scores, owner, SLA and
    (given ws) the account's summary."""
    if len(rows) == 0:
        return []
    from b2bgrowth.leads.account_links import account_summary, accounts_by_id, paying_accounts

    linked = [a for a in state.account[rows] if isinstance(a, str)]
    known = (accounts_by_id(ws), paying_accounts(ws, now.date())) if ws is not None and linked else None
    records = state.merged.iloc[rows].to_dict("records")
    out = []
    for position, lead in zip(rows, records):
        lead = {k: _clean(v) for k, v in lead.items()}
        row = mask_personal(lead, role)
        for name in SCORE_COLUMNS:
            row[name] = _clean(scores[name][position]) if scores is not None else None
            if row[name] is not None and name != "grade":
                row[name] = float(row[name])
        row["owner"] = state.owner[position]
        due = state.due_at[position]
        row["overdue"] = bool(not np.isnat(due) and due < np.datetime64(pd.Timestamp(now).to_datetime64(), "ns"))
        row["sla_due"] = pd.Timestamp(due).to_pydatetime() if row["overdue"] else None
        account = state.account[position]
        row["account"] = (account_summary(ws, account, now.date(), known)
                          if ws is not None and known is not None else None)
        out.append(row)
    return out


def inbox(ws: Workspace, role: str, status: str = "", owner: str = "", grade: str = "", sla: str = "", q: str = "",
          channel: str = "", page: int = 1, now: datetime | None = None,
          created: tuple[date | None, date | None] = (None, None), reached: str = "",
          per_page: int = PER_PAGE, customers_only: bool = False) -> dict:
    """One page of the inbox: {"leads", "total", "page", "pages", "owners", "channels", "errors", "overdue_count"}."""
    errors: list[str] = []
    now = now or datetime.now()
    state = _state(ws)
    if state.sla_error:
        errors.append(state.sla_error)
    scores = _scores(ws, state, errors)
    customers = None
    if customers_only:
        from b2bgrowth.leads.account_links import paying_accounts

        customers = paying_accounts(ws, now.date())
    keep = matches(state, scores, role, now, status=status, owner=owner, grade=grade, sla=sla, q=q,
                   channel=channel, created=created, reached=reached, customers=customers)
    total = int(keep.sum())
    pages = max(1, ceil(total / per_page))
    page = min(max(page, 1), pages)
    ranked = order(state, scores, np.flatnonzero(keep), now)
    shown = ranked[(page - 1) * per_page: page * per_page]
    overdue_count = int((state.due_at < np.datetime64(pd.Timestamp(now).to_datetime64(), "ns")).sum())
    return {"leads": page_rows(state, scores, shown, role, now, ws), "total": total, "page": page, "pages": pages,
            "owners": state.owners, "channels": state.channels, "errors": errors, "overdue_count": overdue_count}


def prepared_frame(ws: Workspace, now: datetime, errors: list[str]) -> pd.DataFrame:
    """The inbox's columns as one frame (merged leads + scores + owner + due_at): for the benchmark floor."""
    state = _state(ws)
    scores = _scores(ws, state, errors) or {name: np.full(len(state.merged), np.nan) for name in SCORE_COLUMNS}
    frame = state.merged.drop(columns=["member_ids"], errors="ignore").copy()
    for name in SCORE_COLUMNS:
        frame[name] = scores[name]
    frame["owner"] = state.owner
    frame["due_at"] = state.due_at
    return frame
