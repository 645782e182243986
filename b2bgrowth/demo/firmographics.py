"""Accounts and contacts of the demo company, drawn in whole columns with numpy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from b2bgrowth.accounts.tiers import default_tier
from b2bgrowth.demo import vocab


def tier_for(employees: np.ndarray, annual_revenue: np.ndarray) -> np.ndarray:
    """The product's default tier rule (accounts.tiers) on the firmographics alone."""
    return np.array([default_tier(int(e), float(r)) for e, r in zip(employees, annual_revenue)])


@dataclass
class AccountFrame:
    """Column arrays, one entry per account, plus what the simulation needs (start day, overseas)."""

    ids: np.ndarray
    names: list[str]
    industry: np.ndarray
    employees: np.ndarray
    annual_revenue: np.ndarray
    region: np.ndarray
    city: np.ndarray
    type: np.ndarray
    tier: np.ndarray
    owner: np.ndarray
    parent: list[str | None]
    created_day: np.ndarray  # days since the history start (may be negative: customers from before)
    overseas: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


def _chinese_name(rng: np.random.Generator, n: int, cities: np.ndarray) -> list[str]:
    brand_a = rng.choice(vocab.BRAND_CHARS, n)
    brand_b = rng.choice(vocab.BRAND_CHARS, n)
    word = rng.choice(vocab.CN_WORDS, n)
    suffix = rng.choice(vocab.CN_SUFFIXES, n)
    return [f"{c}{a}{b}{w}{s}" for c, a, b, w, s in zip(cities, brand_a, brand_b, word, suffix)]


def _english_name(rng: np.random.Generator, n: int) -> list[str]:
    brand = rng.choice(vocab.EN_BRANDS, n)
    word = rng.choice(vocab.EN_WORDS, n)
    suffix = rng.choice(vocab.EN_SUFFIXES, n)
    return [f"{b} {w} {s}" for b, w, s in zip(brand, word, suffix)]


def _unique(names: list[str], cities: np.ndarray) -> list[str]:
    """Same-named companies become branches (杭州…有限公司上海分公司), as they do in real CRMs."""
    seen: dict[str, int] = {}
    out = []
    for name, city in zip(names, cities):
        count = seen.get(name, 0)
        seen[name] = count + 1
        out.append(name if count == 0 else f"{name}{city}分公司{count if count > 1 else ''}")
    return out


def draw_accounts(rng: np.random.Generator, n: int, history_days: int) -> AccountFrame:
    width = max(5, len(str(n)))
    ids = np.array([f"A{i:0{width}d}" for i in range(1, n + 1)])
    overseas = rng.random(n) < 0.08
    city_p = np.array(vocab.CITY_WEIGHTS, dtype=float) / sum(vocab.CITY_WEIGHTS)
    city_idx = rng.choice(len(vocab.CITIES), n, p=city_p)
    city = np.array([vocab.CITIES[i][0] for i in city_idx], dtype=object)
    region = np.array([vocab.CITIES[i][1] for i in city_idx], dtype=object)
    city[overseas] = rng.choice(vocab.OVERSEAS_CITIES, int(overseas.sum()))
    region[overseas] = "海外"
    # A few Chinese firms use English names too; overseas accounts always do.
    english = overseas | (rng.random(n) < 0.04)
    cn_names = _chinese_name(rng, n, city)
    en_names = _english_name(rng, n)
    names = _unique([en if e else cn for cn, en, e in zip(cn_names, en_names, english)], city)

    industry_p = np.array(vocab.INDUSTRY_WEIGHTS, dtype=float) / sum(vocab.INDUSTRY_WEIGHTS)
    industry = rng.choice(vocab.INDUSTRIES, n, p=industry_p)
    # Heavy-tailed headcount: most are small, a few thousand-person enterprises.
    employees = np.clip(np.round(rng.lognormal(np.log(60), 1.4, n)), 3, 80_000).astype(np.int64)
    revenue_per_head = rng.lognormal(np.log(400_000), 0.6, n)
    annual_revenue = np.round(employees * revenue_per_head, -4)
    tier = tier_for(employees, annual_revenue)
    account_type = rng.choice(["direct", "isv", "channel"], n, p=[0.76, 0.09, 0.15])
    owner = rng.choice(vocab.OWNERS, n)
    # Customers arrive faster as the company grows (density rising over time); 12% predate history.
    created_day = np.floor(history_days * rng.random(n) ** 0.75).astype(np.int64)
    legacy = rng.random(n) < 0.12
    created_day[legacy] = -rng.integers(30, 400, int(legacy.sum()))
    # Some subsidiaries of KA groups: parent must be a KA account.
    ka_ids = ids[tier == "KA"]
    parent: list[str | None] = [None] * n
    if len(ka_ids):
        children = np.flatnonzero((rng.random(n) < 0.03) & (tier != "KA"))
        picks = rng.choice(ka_ids, len(children))
        for child, p in zip(children, picks):
            parent[child] = str(p)
    return AccountFrame(ids, names, industry, employees, annual_revenue, region, city, account_type, tier,
                        owner, parent, created_day, overseas)


def account_rows(frame: AccountFrame, start: date, lifecycle: list[str]) -> list[dict]:
    base = datetime.combine(start, datetime.min.time())
    rows = []
    for i in range(len(frame)):
        rows.append({
            "account_id": str(frame.ids[i]), "name": frame.names[i], "industry": str(frame.industry[i]),
            "employees": int(frame.employees[i]), "annual_revenue": float(frame.annual_revenue[i]),
            "currency": "USD" if frame.overseas[i] else "CNY", "region": str(frame.region[i]),
            "type": str(frame.type[i]), "tier_override": None, "tier": str(frame.tier[i]),
            "parent_account_id": frame.parent[i], "owner": str(frame.owner[i]),
            "created_at": base + timedelta(days=int(frame.created_day[i]), hours=10),
            "lifecycle_stage": lifecycle[i], "attributes": {"city": str(frame.city[i])},
        })
    return rows


def _product_user(account_id: str, position: int) -> str:
    """The product user id (as the usage events name it, "<account>-U<n>") of the account's
    contact at `position` (0 = the decision maker). Users with low numbers are the most active
    (demo/usage.py), and fading usage loses the high numbers first: contacts 1 and 2 are the
    heaviest users (the champions), the decision maker is user 3 — engaged while the account
    uses the product broadly, the first to drop out when usage narrows."""
    number = 3 if position == 0 else (position if position <= 2 else position + 1)
    return f"{account_id}-U{number}"


def contact_rows(rng: np.random.Generator, frame: AccountFrame, start: date) -> list[dict]:
    per_tier = {"KA": 6, "CA": 3.5, "SMB": 1.8}
    counts = np.maximum(1, rng.poisson([per_tier[t] for t in frame.tier]))
    total = int(counts.sum())
    owner_idx = np.repeat(np.arange(len(frame)), counts)
    roles = rng.choice(vocab.ROLES, total, p=vocab.ROLE_WEIGHTS)
    surname = rng.choice(vocab.SURNAMES, total)
    given_a = rng.choice(vocab.GIVEN, total)
    given_b = rng.choice(vocab.GIVEN, total)
    two_char = rng.random(total) < 0.35
    en_first = rng.choice(vocab.EN_FIRST, total)
    en_last = rng.choice(vocab.EN_LAST, total)
    title_pick = rng.random(total)
    phone = rng.integers(13_000_000_000, 19_999_999_999, total)
    first_in_account = np.r_[0, np.cumsum(counts)[:-1]]
    # The first contact of every account is its decision maker: someone signed the contract.
    roles[first_in_account] = "decision_maker"
    base = datetime.combine(start, datetime.min.time())
    rows = []
    for k in range(total):
        a = owner_idx[k]
        english = frame.overseas[a] or frame.names[a][0].isascii()
        name = f"{en_first[k]} {en_last[k]}" if english else (
            surname[k] + given_a[k] + ("" if two_char[k] else given_b[k]))
        titles = vocab.ROLE_TITLES[roles[k]]
        account_id = str(frame.ids[a])
        rows.append({
            "contact_id": f"C{k + 1:07d}", "account_id": account_id, "name": name,
            "title": titles[int(title_pick[k] * len(titles))], "role": str(roles[k]),
            "email": f"c{k + 1}@{account_id.lower()}.example.com", "phone": str(phone[k]),
            "wechat": None, "created_at": base + timedelta(days=int(frame.created_day[a]), hours=11),
            "attributes": {"user_id": _product_user(account_id, k - int(first_in_account[a]))},
        })
    return rows
