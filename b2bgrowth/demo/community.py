"""A few community (社群) groups with members and messages, and the requirement pool."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from b2bgrowth.demo import vocab

MESSAGE_KINDS = ["checkin", "post", "question", "answer", "share", "order"]
MESSAGE_P = [0.3, 0.25, 0.15, 0.15, 0.12, 0.03]
REQUIREMENT_SOURCES = ["customer", "sales", "support", "cs", "risk", "legal", "product"]
REQUIREMENT_STATUSES = ["new", "screened", "in_review", "accepted", "in_development", "in_test", "released",
                        "on_hold", "rejected"]


def community_rows(rng: np.random.Generator, contacts: list[dict], start: date, horizon: int):
    """(groups, members, messages); a group's activity peaks after it fills, then fades (zombie groups)."""
    base = datetime.combine(start, datetime.min.time())
    groups: list[dict] = []
    members: list[dict] = []
    messages: list[dict] = []
    n_members = min(len(contacts), 300)
    picks: np.ndarray | list[int] = rng.choice(len(contacts), n_members, replace=False) if contacts else []
    for g, (name, positioning) in enumerate(vocab.COMMUNITY_GROUPS):
        gid = f"G{g + 1:03d}"
        created = int(rng.integers(0, max(1, horizon - 400)))
        groups.append({"group_id": gid, "name": name, "positioning": positioning,
                       "created_at": base + timedelta(days=created), "target_size": 200, "attributes": None})
        mine = [contacts[int(k)] for k in picks if rng.random() < 0.35]
        for m, c in enumerate(mine):
            joined = created + int(rng.integers(0, 60))
            left = joined + int(rng.integers(30, 600)) if rng.random() < 0.15 else None
            member_id = f"{gid}-M{m + 1:04d}"
            members.append({
                "group_id": gid, "member_id": member_id, "contact_id": c["contact_id"], "account_id": c["account_id"],
                "joined_at": base + timedelta(days=joined), "left_at": None if left is None or left > horizon else base + timedelta(days=left),
                "identity": c["role"], "source": ["活动", "转介绍", "内容", "销售邀请"][int(rng.integers(0, 4))],
                "region": None, "attributes": None,
            })
            activity = max(0, int(rng.poisson(12)))
            for _ in range(activity):
                # Exponential decay after joining: most talk happens in the first months.
                day = joined + int(rng.exponential(120))
                if day > horizon:
                    continue
                messages.append({
                    "message_id": f"MSG{len(messages) + 1:07d}", "group_id": gid, "member_id": member_id,
                    "at": base + timedelta(days=day, hours=int(rng.integers(8, 23))),
                    "kind": str(rng.choice(MESSAGE_KINDS, p=MESSAGE_P)), "attributes": None,
                })
    return groups, members, messages


def requirement_rows(rng: np.random.Generator, account_ids: list[str], start: date, horizon: int) -> list[dict]:
    base = datetime.combine(start, datetime.min.time())
    n = min(200, max(10, len(account_ids) // 3))
    rows = []
    for k in range(n):
        title = vocab.REQUIREMENT_TITLES[int(rng.integers(0, len(vocab.REQUIREMENT_TITLES)))]
        source = str(rng.choice(REQUIREMENT_SOURCES))
        rows.append({
            "requirement_id": f"R{k + 1:05d}", "at": base + timedelta(days=int(rng.integers(0, horizon))),
            "title": title, "description": f"客户反馈：{title}", "source": source,
            "account_id": account_ids[int(rng.integers(0, len(account_ids)))] if source in ("customer", "cs", "sales") else None,
            "submitted_by": vocab.OWNERS[int(rng.integers(0, len(vocab.OWNERS)))],
            "status": str(rng.choice(REQUIREMENT_STATUSES)), "attributes": None,
        })
    return rows
