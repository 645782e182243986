"""Channels with daily costs, campaigns, leads, touches and opportunities (modest volume).

Every paying account got there through a lead and a won opportunity dated before its first
paid day; other leads stay in nurture, get disqualified or lose. Later issues (lead-to-revenue)
will deepen this; the shape is right from the start.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np

from b2bgrowth.demo import vocab
from b2bgrowth.demo.contracts import ContractBook
from b2bgrowth.demo.firmographics import AccountFrame

TOUCH_KINDS = ["call", "email", "meeting", "event", "download", "webinar", "demo", "visit"]
TOUCH_P = [0.34, 0.22, 0.1, 0.06, 0.1, 0.06, 0.08, 0.04]


def channel_rows() -> list[dict]:
    return [{"channel_id": cid, "name": name, "kind": kind, "attributes": None}
            for cid, name, kind, _cost in vocab.CHANNELS]


def channel_cost_rows(rng: np.random.Generator, start: date, days: int, scale: float) -> list[dict]:
    rows = []
    weekday = (np.arange(days) + start.weekday()) % 7
    growth = np.linspace(0.7, 1.3, days)  # marketing budgets grow with the company
    for cid, _name, _kind, typical in vocab.CHANNELS:
        noise = rng.lognormal(0, 0.25, days)
        cost = typical * scale * growth * noise * np.where(weekday >= 5, 0.4, 1.0)
        rows.extend({"channel_id": cid, "date": start + timedelta(days=d), "cost": round(float(cost[d]), 2),
                     "currency": "CNY", "attributes": None} for d in range(days))
    return rows


def campaign_rows(rng: np.random.Generator, start: date, days: int, scale: float) -> list[dict]:
    rows = []
    per_year = 3
    for year in range(max(1, days // 365)):
        for k, (name, kind, mode, channel) in enumerate(vocab.CAMPAIGNS):
            if rng.random() > per_year / len(vocab.CAMPAIGNS) * 2.5:
                continue
            first = start + timedelta(days=int(year * 365 + rng.integers(0, 330)))
            budget = float(round(rng.uniform(20_000, 300_000) * scale, -2))
            rows.append({
                "campaign_id": f"CP{year + 1}{k:02d}", "name": f"{first.year} {name}", "kind": kind, "mode": mode,
                "channel_id": channel, "start_date": first, "end_date": first + timedelta(days=int(rng.integers(1, 30))),
                "budget": budget, "cost": round(budget * float(rng.uniform(0.7, 1.15)), 2), "currency": "CNY",
                "attributes": None,
            })
    return rows


def pipeline_rows(rng: np.random.Generator, frame: AccountFrame, book: ContractBook, contacts: list[dict],
                  campaigns: list[dict], start: date, horizon: int) -> tuple[list[dict], list[dict], list[dict]]:
    """(leads, touches, opportunities)."""
    base = datetime.combine(start, datetime.min.time())
    channel_ids = [c[0] for c in vocab.CHANNELS]
    channel_p = np.array(vocab.CHANNEL_LEAD_WEIGHTS, float) / sum(vocab.CHANNEL_LEAD_WEIGHTS)
    campaigns_by_channel: dict[str, list[str]] = {}
    for c in campaigns:
        campaigns_by_channel.setdefault(c["channel_id"], []).append(c["campaign_id"])
    first_contact = {}
    for c in contacts:
        first_contact.setdefault(c["account_id"], c)
    leads, touches, opps = [], [], []
    r = rng.random

    def add_lead(day: int, company: str, person: dict | None, i: int | None, status: str) -> str:
        lead_id = f"L{len(leads) + 1:07d}"
        channel = channel_ids[int(rng.choice(len(channel_ids), p=channel_p))]
        options = campaigns_by_channel.get(channel)
        leads.append({
            "lead_id": lead_id, "created_at": base + timedelta(days=day, hours=int(9 + r() * 9)),
            "name": person["name"] if person else f"{vocab.SURNAMES[int(r() * len(vocab.SURNAMES))]}先生", "company": company,
            "email": person["email"] if person else f"{lead_id.lower()}@lead.example.com",
            "phone": person["phone"] if person else None, "title": person["title"] if person else None,
            "channel": channel, "campaign_id": options[int(r() * len(options))] if options and r() < 0.3 else None,
            "industry": str(frame.industry[i]) if i is not None else vocab.INDUSTRIES[int(r() * len(vocab.INDUSTRIES))],
            "employees": int(frame.employees[i]) if i is not None else int(rng.lognormal(np.log(40), 1.2)) + 1,
            "region": str(frame.region[i]) if i is not None else None,
            "budget": "有预算" if status in ("customer", "opportunity") else ("待定" if r() < 0.5 else None),
            "authority": "决策人" if person and person["role"] == "decision_maker" else None,
            "need": vocab.LEAD_NEEDS[int(r() * len(vocab.LEAD_NEEDS))], "timeline": "3个月内" if r() < 0.4 else None,
            "status": status, "attributes": None,
        })
        return lead_id

    def add_touches(lead_id: str, day: int, n: int, account_id: str | None, owner: str) -> None:
        kinds = rng.choice(TOUCH_KINDS, n, p=TOUCH_P)
        for k in range(n):
            touches.append({
                "touch_id": f"T{len(touches) + 1:08d}", "at": base + timedelta(days=day + k * 3 + int(r() * 3), hours=10),
                "kind": str(kinds[k]), "lead_id": lead_id, "contact_id": None, "account_id": account_id,
                "campaign_id": None, "outcome": vocab.TOUCH_OUTCOMES[int(r() * len(vocab.TOUCH_OUTCOMES))],
                "owner": owner, "attributes": None,
            })

    for i in range(len(frame)):
        paid = book.first_paid_day[i]
        account_id, owner = str(frame.ids[i]), str(frame.owner[i])
        if paid is None or paid < 30:
            continue  # customers from before the history came in before any lead data
        cycle = {"KA": 120, "CA": 60, "SMB": 25}[str(frame.tier[i])]
        day = max(0, paid - cycle - int(r() * cycle))
        lead_id = add_lead(day, frame.names[i], first_contact.get(account_id), i, "customer")
        add_touches(lead_id, day, 2 + int(rng.poisson(cycle / 15)), account_id, owner)
        opps.append({
            "opportunity_id": f"O{len(opps) + 1:07d}", "account_id": account_id, "lead_id": lead_id,
            "name": f"{frame.names[i]} - {vocab.CORE}", "stage": "赢单", "amount": round(book.first_mrr[i] * 12, 2),
            "currency": "CNY", "created_at": base + timedelta(days=day + 7), "close_date": start + timedelta(days=paid),
            "status": "won", "owner": owner, "attributes": None,
        })
    # Leads that did not (yet) buy: about as many again, some with a lost or open opportunity.
    for _ in range(len(frame)):
        day = int(horizon * r() ** 0.8)
        u = r()
        status = "nurture" if u < 0.35 else "disqualified" if u < 0.55 else "new" if u < 0.7 else \
            "mql" if u < 0.8 else "sql" if u < 0.88 else "opportunity"
        company = f"{vocab.CITIES[int(r() * len(vocab.CITIES))][0]}{vocab.BRAND_CHARS[int(r() * len(vocab.BRAND_CHARS))]}{vocab.BRAND_CHARS[int(r() * len(vocab.BRAND_CHARS))]}科技有限公司"
        lead_id = add_lead(day, company, None, None, status)
        add_touches(lead_id, day, int(rng.poisson(1.5)), None, vocab.OWNERS[int(r() * len(vocab.OWNERS))])
        if status in ("sql", "opportunity"):
            lost = status == "sql" or day < horizon - 120
            opps.append({
                "opportunity_id": f"O{len(opps) + 1:07d}", "account_id": None, "lead_id": lead_id,
                "name": f"{company} - {vocab.CORE}", "stage": "输单" if lost else vocab.OPPORTUNITY_STAGES[int(r() * 4)],
                "amount": round(float(rng.lognormal(np.log(40_000), 1.0)), 2), "currency": "CNY",
                "created_at": base + timedelta(days=day + 5),
                "close_date": start + timedelta(days=min(horizon + 90, day + 30 + int(r() * 120))),
                "status": "lost" if lost else "open", "owner": vocab.OWNERS[int(r() * len(vocab.OWNERS))],
                "attributes": None,
            })
    return leads, touches, opps
