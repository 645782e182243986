"""De-duplication of leads, exactly as issue 3 item 2 words it.

Two leads are the same person when they share a normalised email, or a normalised phone, or a
normalised company together with the same normalised name (normalize.py). Matching is
transitive: the merged leads are the connected components of the "shares a key" graph.

The merged lead keeps
- the identity (lead_id, created_at, channel = first touch, and every other column) of its
  earliest-created member; ties, and members without created_at (they sort last), go to the
  smallest lead_id;
- the most advanced status of its members: new < mql < sql < opportunity < customer. Nurture
  and disqualified reach nothing, so one member at mql makes the merged lead an mql. When no
  member has an advancing status (every member is nurture or disqualified) the merged status
  is "nurture" if any member is nurture (someone still nurtures this person), else
  "disqualified";
- the opportunities and touches of all members (`member_to_lead` maps them);
- the account (account_id) of its identity member, else of the first member in identity order
  that has one (leads/account_links.py: a lead's account link).

Undo: `undo_merge` splits a member off its merged lead and records, in lead_merges, the pairs
(member, other member) as undone. Every later run keeps undone pairs apart: the components
touched by a split are re-clustered greedily (edges in a fixed order, a union skipped when it
would join an undone pair), so the answer does not depend on row order.

The whole computation is vectorised (factorised keys → star edges → scipy connected
components) and cached as the derived table "lead_merges_v" keyed by the revisions of leads
and lead_merges.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sqlalchemy import select

from b2bgrowth.leads.models import Lead, LeadMerge
from b2bgrowth.leads.normalize import company_keys, email_keys, name_keys, phone_keys
from b2bgrowth.reporting.derived import DerivedTable, load

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

MERGED_LEADS = "merged_leads"
ADVANCING = ("new", "mql", "sql", "opportunity", "customer")
STATUS_RANK = {status: rank for rank, status in enumerate(ADVANCING, start=1)} | {"nurture": 0, "disqualified": 0}
RULES = ("email", "phone", "company_name")
LEAD_COLUMNS = tuple(c.name for c in Lead.__table__.columns)


class DedupeError(ValueError):
    """A merge operation that cannot be done (unknown lead, member of another lead …)."""


# -- loading --------------------------------------------------------------------------------------
def load_leads(ws: Workspace) -> pd.DataFrame:
    """Every lead row, columns as in the model; created_at as datetime64, attributes as JSON text."""
    frame = ws.store.fetch_frame("SELECT " + ", ".join(LEAD_COLUMNS) + " FROM leads", LEAD_COLUMNS)
    return _typed(frame)


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame["created_at"] = pd.to_datetime(frame["created_at"], format="ISO8601", errors="coerce")
    for column in ("assigned_at",):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], format="ISO8601", errors="coerce")
    if "employees" in frame:
        frame["employees"] = pd.to_numeric(frame["employees"], errors="coerce").astype("Int64")
    if "attributes" in frame:
        # JSON text on both stores (PostgreSQL's driver hands back dicts, SQLite's text).
        frame["attributes"] = frame["attributes"].map(
            lambda v: v if v is None or isinstance(v, str) else json.dumps(v, ensure_ascii=False))
    frame["lead_id"] = frame["lead_id"].astype(str)
    frame["status"] = frame["status"].fillna("new")
    return frame


def load_splits(ws: Workspace) -> set[tuple[str, str]]:
    """Undone pairs (a < b) that dedupe must keep apart."""
    with ws.store.read() as session:
        rows = session.execute(select(LeadMerge.a, LeadMerge.b).where(LeadMerge.undone.is_(True))).all()
    return {(min(a, b), max(a, b)) for a, b in rows}


# -- the computation ---------------------------------------------------------------------------------
def match_keys(frame: pd.DataFrame) -> dict[str, pa.Array]:
    """The normalised key of each rule per row, as Arrow strings (null where a rule has nothing)."""
    company = company_keys(frame["company"])
    name = name_keys(frame["name"])
    # binary_join emits null when either side is null: company + name needs both.
    company_name = pc.binary_join_element_wise(company, name, " · ")
    return {"email": email_keys(frame["email"]), "phone": phone_keys(frame["phone"]), "company_name": company_name}


def _identity_order(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows sorted so that position 0 of any group is its identity member."""
    return frame.sort_values(["created_at", "lead_id"], na_position="last", kind="mergesort").reset_index(drop=True)


def _star_edges(keys: dict[str, pa.Array]) -> tuple[np.ndarray, np.ndarray]:
    """Each row linked to the first row sharing its key: a spanning star per key group."""
    sources, targets = [], []
    for key in keys.values():
        codes = pc.fill_null(pc.dictionary_encode(key).indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        present = np.flatnonzero(codes >= 0)
        if present.size == 0:
            continue
        c = codes[present]
        first = np.full(c.max() + 1, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(first, c, present)
        sources.append(present)
        targets.append(first[c])
    if not sources:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(sources), np.concatenate(targets)


def cluster(frame: pd.DataFrame, splits: set[tuple[str, str]] = frozenset()) -> np.ndarray:
    """Group label per row of `frame` (already in identity order): the position of its identity member."""
    n = len(frame)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    keys = match_keys(frame)
    src, dst = _star_edges(keys)
    graph = coo_matrix((np.ones(src.size, dtype=np.int8), (src, dst)), shape=(n, n))
    _, component = connected_components(graph, directed=False)
    # Identity = smallest position in the component (rows are in identity order).
    first = np.full(component.max() + 1, n, dtype=np.int64)
    np.minimum.at(first, component, np.arange(n))
    labels = first[component]
    if splits:
        labels = _respect_splits(frame, keys, labels, splits)
    return labels


def _respect_splits(frame, keys, labels: np.ndarray, splits) -> np.ndarray:
    """Re-cluster the components that contain an undone pair, never joining such a pair."""
    ids = frame["lead_id"].to_numpy()
    position = pd.Series(np.arange(len(ids)), index=ids)
    labels = labels.copy()
    touched: dict[int, set[tuple[int, int]]] = {}
    for a, b in splits:
        if a in position.index and b in position.index:
            pos_a, pos_b = int(position[a]), int(position[b])
            if labels[pos_a] == labels[pos_b]:
                touched.setdefault(int(labels[pos_a]), set()).add((min(pos_a, pos_b), max(pos_a, pos_b)))
    for label, forbidden in sorted(touched.items()):
        members = [int(m) for m in np.flatnonzero(labels == label)]
        parent = {m: m for m in members}
        groups = {m: {m} for m in members}

        def find(x, parent=parent):  # this group's parent map (bound now, not looked up later)
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        # Every pair sharing a key, in a fixed order (rule, key, then identity order of both ends).
        for rule in RULES:
            by_value: dict[str, list[int]] = {}
            for m, value in zip(members, keys[rule].take(pa.array(members)).to_pylist()):
                if value is not None:
                    by_value.setdefault(value, []).append(int(m))
            for value in sorted(by_value):
                rows = by_value[value]  # ascending positions: members are in identity order
                for i, x in enumerate(rows):
                    for y in rows[i + 1:]:
                        rx, ry = find(x), find(y)
                        if rx == ry:
                            continue
                        if any((min(p, q), max(p, q)) in forbidden for p in groups[rx] for q in groups[ry]):
                            continue
                        low, high = min(rx, ry), max(rx, ry)
                        parent[high] = low
                        groups[low] |= groups.pop(high)
        for m in members:
            labels[m] = find(m)  # the smallest position of the sub-group: its identity member
    return labels


def merge_frame(frame: pd.DataFrame, splits: set[tuple[str, str]] = frozenset()) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(merged, members) for a frame of lead rows: the whole rule set, no database."""
    frame = _identity_order(frame)
    labels = cluster(frame, splits)
    ids = frame["lead_id"].to_numpy(dtype=object)
    order = np.argsort(labels, kind="stable")  # grouped by merged lead, identity member first in each
    sorted_labels = labels[order]
    n = len(order)
    starts = np.flatnonzero(np.r_[True, sorted_labels[1:] != sorted_labels[:-1]]) if n else np.zeros(0, np.int64)
    # Members in group order (the order member_ids lists them): the merged lists rebuild from this.
    members = pd.DataFrame({"member_id": ids[order], "lead_id": ids[sorted_labels]})

    rank = frame["status"].map(STATUS_RANK).fillna(1).to_numpy(dtype=np.int64)
    nurture = (frame["status"] == "nurture").to_numpy()
    heads = sorted_labels[starts]
    best = np.maximum.reduceat(rank[order], starts) if n else np.zeros(0, np.int64)
    any_nurture = np.maximum.reduceat(nurture[order].astype(np.int8), starts) if n else np.zeros(0, np.int8)
    status = np.where(best > 0, np.array(("",) + ADVANCING, dtype=object)[best],
                      np.where(any_nurture > 0, "nurture", "disqualified"))
    merged = frame.iloc[heads].reset_index(drop=True)
    merged["status"] = status
    if "account_id" in frame:
        merged["account_id"] = _first_known(frame["account_id"].to_numpy(dtype=object)[order], starts, n)
    merged["member_count"] = np.diff(np.r_[starts, n]).astype(np.int64)
    return _with_member_lists(merged, members), members


def _first_known(values: np.ndarray, starts: np.ndarray, n: int) -> np.ndarray:
    """Per group (rows grouped, identity first): the first non-empty value, else None."""
    out = np.full(len(starts), None, dtype=object)
    if n == 0:
        return out
    known = pd.Series(values, dtype=object).where(pd.notna(values) & (values != ""), None)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, n]))
    firsts = known.groupby(group).first()  # skips missing values (a group of only missing → NaN)
    out[firsts.index.to_numpy()] = [v if isinstance(v, str) else None for v in firsts.to_numpy(dtype=object)]
    return out


def _with_member_lists(merged: pd.DataFrame, members: pd.DataFrame) -> pd.DataFrame:
    """member_ids as an Arrow list column built from the grouped members (no Python lists made);
    each cell reads as a list of lead_ids."""
    offsets = np.r_[0, np.cumsum(merged["member_count"].to_numpy(dtype=np.int64))].astype(np.int64)
    values = pa.array(members["member_id"].astype("object").tolist(), type=pa.string())
    lists = pa.LargeListArray.from_arrays(pa.array(offsets, pa.int64()), values)
    merged["member_ids"] = pd.arrays.ArrowExtensionArray(lists)
    return merged


def _compute(ws: Workspace) -> dict[str, pd.DataFrame]:
    merged, members = merge_frame(load_leads(ws), load_splits(ws))
    # The member lists are rebuilt from "members" on load (Parquet would hand back arrays).
    return {"merged": merged.drop(columns=["member_ids"]), "members": members}


MERGED_LEADS_TABLE = DerivedTable(
    name=MERGED_LEADS,
    depends_on=("leads", "lead_merges"),
    compute=_compute,
    version=3,  # 3: account_id (identity member's, else any member's)
    description="Leads merged by normalised email / phone / company + name, respecting undone merges",
)


# -- the interface other capabilities use ------------------------------------------------------------
def _parts(ws: Workspace) -> dict[str, pd.DataFrame]:
    parts = load(ws, MERGED_LEADS)
    if "member_ids" not in parts["merged"].columns:
        # Once per loaded version (the parts stay in memory until the leads change).
        parts["merged"] = _with_member_lists(parts["merged"], parts["members"])
    return parts


def merged_leads(ws: Workspace) -> pd.DataFrame:
    """One row per merged lead: lead_id, created_at, channel, status, member_ids (a list per row,
    identity first), member_count and the identity member's other columns.
    Do not modify the frame (it is the cached copy)."""
    return _parts(ws)["merged"]


def member_to_lead(ws: Workspace) -> dict[str, str]:
    """Member lead_id → merged lead_id (every lead maps, itself included)."""
    members = _parts(ws)["members"]
    return dict(zip(members["member_id"], members["lead_id"]))


def members_frame(ws: Workspace) -> pd.DataFrame:
    """member_id, lead_id (merged) as a frame: joins beat a 2M-entry dict on big stores.
    Do not modify the frame (it is the cached copy)."""
    return _parts(ws)["members"][["member_id", "lead_id"]]


def members_of(ws: Workspace, lead_id: str) -> list[str]:
    """The member lead_ids of the merged lead containing `lead_id` (a merged or member id)."""
    members = _parts(ws)["members"]
    found = members.loc[members["member_id"] == lead_id, "lead_id"]
    if found.empty:
        raise DedupeError(f"lead {lead_id!r} does not exist")
    merged_id = found.iloc[0]
    return members.loc[members["lead_id"] == merged_id, "member_id"].sort_values().tolist()


def merged_id_of(ws: Workspace, lead_id: str) -> str:
    members = _parts(ws)["members"]
    found = members.loc[members["member_id"] == lead_id, "lead_id"]
    if found.empty:
        raise DedupeError(f"lead {lead_id!r} does not exist")
    return str(found.iloc[0])


def why_merged(ws: Workspace, lead_id: str) -> list[dict]:
    """Why the members of merged lead `lead_id` are one: [{"a", "b", "rule", "value"}].

    Per rule, each member sharing a key is paired with the earliest member having it (a
    spanning explanation: every member is reachable from the identity through these pairs).
    """
    member_ids = members_of(ws, lead_id)
    if len(member_ids) < 2:
        return []
    frame = _identity_order(load_leads_by_id(ws, member_ids))
    keys = match_keys(frame)
    ids = frame["lead_id"].tolist()
    out = []
    for rule in RULES:
        seen: dict[str, str] = {}
        for lead, value in zip(ids, keys[rule].to_pylist()):
            if value is None:
                continue
            if value in seen:
                out.append({"a": seen[value], "b": lead, "rule": rule, "value": value})
            else:
                seen[value] = lead
    return out


def load_leads_by_id(ws: Workspace, lead_ids: list[str]) -> pd.DataFrame:
    with ws.store.read() as session:
        rows = session.execute(select(*Lead.__table__.columns).where(Lead.lead_id.in_(lead_ids))).all()
    frame = pd.DataFrame.from_records([tuple(r) for r in rows], columns=list(LEAD_COLUMNS))
    return _typed(frame)


def _merge_id(a: str, b: str, rule: str) -> str:
    return hashlib.sha256(f"{a}\x1f{b}\x1f{rule}".encode()).hexdigest()[:40]


def record_merges(ws: Workspace, now: datetime | None = None) -> int:
    """Persist the current explanations into lead_merges (the merge history); returns rows added."""
    now = now or datetime.now().replace(microsecond=0)
    merged = merged_leads(ws)
    multi = merged.loc[merged["member_count"] > 1, "lead_id"].tolist()
    rows = [(lead, pair) for lead in multi for pair in why_merged(ws, lead)]
    added = 0
    with ws.store.write(touched=["lead_merges"]) as session:
        for lead, pair in rows:
            merge_id = _merge_id(pair["a"], pair["b"], pair["rule"])
            if session.get(LeadMerge, merge_id) is None:
                session.add(LeadMerge(merge_id=merge_id, lead_id=lead, a=pair["a"], b=pair["b"],
                                      rule=pair["rule"], value=pair["value"][:512], recorded_at=now,
                                      undone=False))
                added += 1
    return added


def undo_merge(ws: Workspace, lead_id: str, member_id: str, by: str, now: datetime | None = None) -> None:
    """Split `member_id` off merged lead `lead_id`; later dedupe runs keep it apart from the others."""
    now = now or datetime.now().replace(microsecond=0)
    merged_id = merged_id_of(ws, lead_id)
    members = members_of(ws, merged_id)
    if member_id not in members:
        raise DedupeError(f"lead {member_id!r} is not a member of merged lead {merged_id!r}")
    others = [m for m in members if m != member_id]
    if not others:
        raise DedupeError(f"lead {member_id!r} is not merged with any other lead")
    explained = {(p["a"], p["b"]): p for p in why_merged(ws, merged_id)}
    with ws.store.write(touched=["lead_merges"]) as session:
        for other in others:
            a, b = min(member_id, other), max(member_id, other)
            pair = explained.get((a, b)) or explained.get((b, a))
            rule = pair["rule"] if pair else "split"
            merge_id = _merge_id(a, b, rule)
            row = session.get(LeadMerge, merge_id)
            if row is None:
                row = LeadMerge(merge_id=merge_id, lead_id=merged_id, a=a, b=b, rule=rule,
                                value=(pair["value"][:512] if pair else None), recorded_at=now)
                session.add(row)
            row.undone, row.undone_by, row.undone_at = True, by, now


def merge_history(ws: Workspace, lead_id: str) -> list[dict]:
    """Recorded merges and undos touching the members of `lead_id` (for the lead page)."""
    try:
        ids = members_of(ws, lead_id)
    except DedupeError:
        ids = [lead_id]
    ids = list(set(ids) | {lead_id})
    with ws.store.read() as session:
        rows = session.execute(select(LeadMerge).where(LeadMerge.a.in_(ids) | LeadMerge.b.in_(ids))
                               .order_by(LeadMerge.recorded_at, LeadMerge.merge_id)).scalars().all()
    return [{"a": r.a, "b": r.b, "rule": r.rule, "value": r.value, "recorded_at": r.recorded_at,
             "undone": bool(r.undone), "undone_by": r.undone_by, "undone_at": r.undone_at} for r in rows]


def lead_opportunities(ws: Workspace, lead_id: str) -> list[dict]:
    """Opportunities of every member of the merged lead containing `lead_id`."""
    from b2bgrowth.store.base import model_class

    # The pipeline's table, looked up by name: pipeline imports leads (its api), not the reverse.
    Opportunity = model_class("Opportunity")
    ids = members_of(ws, lead_id)
    with ws.store.read() as session:
        rows = session.execute(select(Opportunity).where(Opportunity.lead_id.in_(ids))
                               .order_by(Opportunity.created_at, Opportunity.opportunity_id)).scalars().all()
    return [{c.name: getattr(r, c.name) for c in Opportunity.__table__.columns} for r in rows]


def lead_touches(ws: Workspace, lead_id: str) -> list[dict]:
    """Touches of every member of the merged lead containing `lead_id`, oldest first."""
    from b2bgrowth.leads.models import Touch

    ids = members_of(ws, lead_id)
    with ws.store.read() as session:
        rows = session.execute(select(Touch).where(Touch.lead_id.in_(ids))
                               .order_by(Touch.at, Touch.touch_id)).scalars().all()
    return [{c.name: getattr(r, c.name) for c in Touch.__table__.columns} for r in rows]
