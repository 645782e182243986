"""Channels with daily costs, campaigns, leads, touches, opportunities and their stage history.

Every paying account got there through a lead and a won opportunity dated before its first
paid day; other leads stay in nurture, get disqualified, lose a deal or have one open.
What issue 3 (lead to revenue) needs to find is planted here:
- BANT written as people write it (yes / no / unknown or an amount; yes / no; high / medium /
  low or a stated need; a date, a number of months or <3m / 3-6m / >6m / unknown);
- signal for the conversion model: buyers come more from referral, partner and events, hold
  decision-maker titles more often and state budget, authority and a near timeline;
- duplicate leads (~4 %): the same e-mail in another case, the phone with +86 / 0086, the
  company with or without 有限公司 / （中国）;
- calls before close with a planted optimum by company size — win probability peaks at 5
  calls for < 50 employees, 8 for 50–499 and 12 for ≥ 500 (the numbers the seeds quote);
- a stage history for every opportunity (stage_history_rows), won and lost.
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
    rows: list[dict] = []
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


# Planted call optimum (the seeds: ~5 / 8 / 12 calls) and the win probability around it.
CALL_OPTIMUM = {"small": 5, "mid": 8, "large": 12}
CALL_SPREAD = 2.5
BUYER_CHANNEL_TILT = {"referral": 3.0, "partner": 2.0, "event": 1.8, "sem": 0.7, "ads": 0.6, "content": 0.9}
OTHER_TITLES = ["数据分析师", "运营专员", "市场专员", "工程师", "产品经理", "IT经理", "实习生"]
DECISION_TITLES = ["总经理", "CEO", "CTO", "副总裁", "CIO"]


def _size(employees: int) -> str:
    return "small" if employees < 50 else "mid" if employees < 500 else "large"


def call_win_curve(size: str) -> np.ndarray:
    """P(won | k calls) up to the constant: 0.1 + 0.6·exp(−(k − optimum)² / 2σ²), k = 0 … 2·opt+4."""
    opt = CALL_OPTIMUM[size]
    k = np.arange(2 * opt + 5)
    return 0.1 + 0.6 * np.exp(-((k - opt) ** 2) / (2 * CALL_SPREAD ** 2))


def draw_calls(rng: np.random.Generator, employees: int, won: bool) -> int:
    """Calls before close: the prior is uniform over 0 … 2·opt+4; a won deal draws ∝ w(k), a lost
    one ∝ 1 − w(k), so the observed P(won | k) peaks at the optimum whatever the won/lost mix."""
    w = call_win_curve(_size(employees))
    p = w if won else 1 - w
    return int(rng.choice(len(w), p=p / p.sum()))


def _bant(rng: np.random.Generator, buyer: bool, created: datetime) -> dict:
    r = rng.random
    good = 0.75 if buyer else 0.3  # how often each BANT answer leans "ready to buy"
    if r() < 0.15:
        budget = None
    elif r() < good:
        budget = "yes" if r() < 0.5 else str(int(rng.choice([30_000, 50_000, 80_000, 120_000, 200_000, 500_000])))
    else:
        budget = "no" if r() < 0.5 else "unknown"
    authority = None if r() < 0.2 else ("yes" if r() < good else "no")
    u = r()
    need = (["high", "medium"][int(r() * 2)] if r() < good else "low") if u < 0.7 else \
        vocab.LEAD_NEEDS[int(r() * len(vocab.LEAD_NEEDS))] if u < 0.9 else None
    u = r()
    if u < 0.15:
        timeline = None
    elif r() < good:
        timeline = ["<3m", "3", (created + timedelta(days=int(20 + r() * 60))).date().isoformat()][int(r() * 3)]
    else:
        timeline = [">6m", "unknown", "3-6m", "12"][int(r() * 4)]
    return {"budget": budget, "authority": authority, "need": need, "timeline": timeline}


def _duplicate_of(rng: np.random.Generator, lead: dict, lead_id: str, created: datetime, channel: str) -> dict:
    """The same person entered again: e-mail in another case, +86 phone, or the company with a legal suffix."""
    copy = {**lead, "lead_id": lead_id, "created_at": created, "channel": channel, "status": "new",
            "campaign_id": None}
    kind = int(rng.integers(0, 3))
    if kind == 0 and lead["email"]:
        copy["email"] = lead["email"].upper() if rng.random() < 0.5 else lead["email"].capitalize()
        copy["phone"] = None
    elif kind == 1 and lead["phone"]:
        digits = "".join(ch for ch in lead["phone"] if ch.isdigit())[-11:]
        copy["phone"] = f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}" if rng.random() < 0.5 else f"0086{digits}"
        copy["email"] = None
    else:
        company = lead["company"] or ""
        base = company.removesuffix("有限公司")
        copy["company"] = f"{base}（中国）有限公司" if base != company else f"{company}有限公司"
        copy["email"], copy["phone"] = None, None
    return copy


def pipeline_rows(rng: np.random.Generator, frame: AccountFrame, book: ContractBook, contacts: list[dict],
                  campaigns: list[dict], start: date, horizon: int) -> tuple[list[dict], list[dict], list[dict]]:
    """(leads, touches, opportunities)."""
    base = datetime.combine(start, datetime.min.time())
    channel_ids = [c[0] for c in vocab.CHANNELS]
    weights = np.array(vocab.CHANNEL_LEAD_WEIGHTS, float)
    tilt = np.array([BUYER_CHANNEL_TILT.get(c, 1.0) for c in channel_ids])
    buyer_p = weights * tilt / (weights * tilt).sum()
    other_p = weights / tilt / (weights / tilt).sum()
    campaigns_by_channel: dict[str, list[str]] = {}
    for c in campaigns:
        campaigns_by_channel.setdefault(c["channel_id"], []).append(c["campaign_id"])
    first_contact: dict[str, dict] = {}
    for c in contacts:
        first_contact.setdefault(c["account_id"], c)
    all_campaigns = [c["campaign_id"] for c in campaigns]
    leads: list[dict] = []
    touches: list[dict] = []
    opps: list[dict] = []
    r = rng.random

    def add_lead(day: int, company: str, person: dict | None, i: int | None, status: str, buyer: bool) -> dict:
        lead_id = f"L{len(leads) + 1:07d}"
        channel = channel_ids[int(rng.choice(len(channel_ids), p=buyer_p if buyer else other_p))]
        options = campaigns_by_channel.get(channel)
        created = base + timedelta(days=day, hours=int(9 + r() * 9))
        if person:
            title = person["title"]
        else:
            title = DECISION_TITLES[int(r() * 5)] if r() < (0.45 if buyer else 0.12) else \
                OTHER_TITLES[int(r() * len(OTHER_TITLES))]
        surname = vocab.SURNAMES[int(r() * len(vocab.SURNAMES))]
        lead = {
            "lead_id": lead_id, "created_at": created,
            "name": person["name"] if person else f"{surname}{vocab.GIVEN[int(r() * len(vocab.GIVEN))]}",
            "company": company,
            "email": person["email"] if person else f"{lead_id.lower()}@lead.example.com",
            "phone": person["phone"] if person and person["phone"] else f"13{int(r() * 1e9):09d}",
            "title": title,
            "channel": channel, "campaign_id": options[int(r() * len(options))] if options and r() < 0.3 else None,
            "industry": str(frame.industry[i]) if i is not None else vocab.INDUSTRIES[int(r() * len(vocab.INDUSTRIES))],
            "employees": int(frame.employees[i]) if i is not None else int(rng.lognormal(np.log(60), 1.4)) + 1,
            # A prospect's region is known from its form or phone area as much as a customer's:
            # leaving it empty only for non-customers would hand the model the answer.
            "region": str(frame.region[i]) if i is not None else vocab.CITIES[int(r() * len(vocab.CITIES))][1],
            **_bant(rng, buyer, created),
            "status": status, "attributes": None,
        }
        leads.append(lead)
        if r() < 0.04:  # the same person again, a few days to weeks later, from another channel
            later = created + timedelta(days=int(2 + r() * 40), hours=int(r() * 8))
            if later.date() <= start + timedelta(days=horizon):
                dup_id = f"L{len(leads) + 1:07d}"
                leads.append(_duplicate_of(rng, lead, dup_id, later, channel_ids[int(rng.choice(len(channel_ids), p=other_p))]))
        return lead

    def add_touches(lead_id: str, first: datetime, last: datetime, calls: int, others: int,
                    account_id: str | None, owner: str) -> None:
        """`calls` call touches and `others` touches of other kinds, spread over [first, last]."""
        span = max((last - first).total_seconds(), 3600.0)
        other_kinds = [k for k in TOUCH_KINDS if k != "call"]
        other_p = np.array([p for k, p in zip(TOUCH_KINDS, TOUCH_P) if k != "call"])
        kinds = ["call"] * calls + [str(k) for k in rng.choice(other_kinds, others, p=other_p / other_p.sum())]
        offsets = np.sort(rng.random(len(kinds))) * span
        order = rng.permutation(len(kinds))
        for n, k in enumerate(order):
            # events, webinars and downloads come from a campaign (its channel is the touch's channel)
            campaign = all_campaigns[int(r() * len(all_campaigns))] \
                if all_campaigns and kinds[k] in ("event", "webinar", "download") and r() < 0.7 else None
            touches.append({
                "touch_id": f"T{len(touches) + 1:08d}", "at": first + timedelta(seconds=float(offsets[n])),
                "kind": kinds[k], "lead_id": lead_id, "contact_id": None, "account_id": account_id,
                "campaign_id": campaign, "outcome": vocab.TOUCH_OUTCOMES[int(r() * len(vocab.TOUCH_OUTCOMES))],
                "owner": owner, "attributes": None,
            })

    def add_opp(lead: dict, account_id: str | None, name: str, stage: str, amount: float, created: datetime,
                close: date, status: str, owner: str) -> None:
        opps.append({
            "opportunity_id": f"O{len(opps) + 1:07d}", "account_id": account_id, "lead_id": lead["lead_id"],
            "name": f"{name} - {vocab.CORE}", "stage": stage, "amount": round(amount, 2), "currency": "CNY",
            "created_at": created, "close_date": close, "status": status, "owner": owner, "attributes": None,
        })

    for i in range(len(frame)):
        paid = book.first_paid_day[i]
        account_id, owner = str(frame.ids[i]), str(frame.owner[i])
        if paid is None or paid < 30:
            continue  # customers from before the history came in before any lead data
        cycle = {"KA": 120, "CA": 60, "SMB": 25}[str(frame.tier[i])]
        day = max(0, paid - cycle - int(r() * cycle))
        lead = add_lead(day, frame.names[i], first_contact.get(account_id), i, "customer", buyer=True)
        created = base + timedelta(days=day + 7)
        close = start + timedelta(days=paid)
        calls = draw_calls(rng, int(frame.employees[i]), won=True)
        add_touches(lead["lead_id"], lead["created_at"], datetime.combine(close, datetime.min.time()) + timedelta(hours=9),
                    calls, 1 + int(rng.poisson(cycle / 30)), account_id, owner)
        add_opp(lead, account_id, frame.names[i], "赢单", book.first_mrr[i] * 12, created, close, "won", owner)
    # Leads that did not (yet) buy: about twice as many, a third of them with a lost or open deal.
    for _ in range(2 * len(frame)):
        day = int(horizon * r() ** 0.8)
        u = r()
        status = "nurture" if u < 0.3 else "disqualified" if u < 0.5 else "new" if u < 0.65 else \
            "mql" if u < 0.77 else "sql" if u < 0.87 else "opportunity"
        company = f"{vocab.CITIES[int(r() * len(vocab.CITIES))][0]}{vocab.BRAND_CHARS[int(r() * len(vocab.BRAND_CHARS))]}{vocab.BRAND_CHARS[int(r() * len(vocab.BRAND_CHARS))]}科技有限公司"
        lead = add_lead(day, company, None, None, status, buyer=False)
        owner = vocab.OWNERS[int(r() * len(vocab.OWNERS))]
        deal = status in ("sql", "opportunity") or (status in ("nurture", "disqualified") and r() < 0.35)
        if not deal:
            add_touches(lead["lead_id"], lead["created_at"], lead["created_at"] + timedelta(days=30), 0,
                        int(rng.poisson(1.5)), None, owner)
            continue
        is_open = status == "opportunity" and day >= horizon - 120
        created = base + timedelta(days=day + 5)
        amount = float(rng.lognormal(np.log(40_000), 1.0))
        if is_open:
            close = start + timedelta(days=min(horizon + 90, day + 30 + int(r() * 120)))
            add_touches(lead["lead_id"], lead["created_at"], base + timedelta(days=min(horizon, day + 30)),
                        int(r() * 6), int(rng.poisson(2)), None, owner)
            add_opp(lead, None, company, vocab.OPPORTUNITY_STAGES[int(r() * 4)], amount, created, close, "open", owner)
        else:
            close = start + timedelta(days=min(horizon, day + 20 + int(r() * 100)))
            calls = draw_calls(rng, lead["employees"], won=False)
            add_touches(lead["lead_id"], lead["created_at"], datetime.combine(close, datetime.min.time()),
                        calls, int(rng.poisson(1.5)), None, owner)
            add_opp(lead, None, company, "输单", amount, created, close, "lost", owner)
    return leads, touches, opps


def stage_history_rows(opps: list[dict]) -> list[dict]:
    """Stage changes for every opportunity, derived from it (no randomness): a won deal walks
    every open stage then 赢单; a lost one stops at a stage chosen by its id, then 输单; an open
    one walks up to its current stage. Moves are spread evenly between created and close."""
    stages = vocab.OPPORTUNITY_STAGES
    rows = []
    for o in opps:
        created = o["created_at"]
        close = datetime.combine(o["close_date"], datetime.min.time()) + timedelta(hours=17)
        if o["status"] == "won":
            path = [*stages, "赢单"]
        elif o["status"] == "lost":
            path = [*stages[: 1 + int(o["opportunity_id"][-3:]) % len(stages)], "输单"]
        else:
            path = stages[: stages.index(o["stage"]) + 1] if o["stage"] in stages else [o["stage"]]
        end = close if o["status"] != "open" else min(close, created + timedelta(days=30 * len(path)))
        step = (end - created) / max(len(path) - 1, 1) if o["status"] != "open" else timedelta(days=12)
        previous = None
        for n, stage in enumerate(path):
            at = created + step * n if o["status"] != "open" else created + timedelta(days=12 * n)
            rows.append({"opportunity_id": o["opportunity_id"], "from_stage": previous, "to_stage": stage,
                         "at": at.replace(microsecond=0), "by": o["owner"]})
            previous = stage
    return rows
