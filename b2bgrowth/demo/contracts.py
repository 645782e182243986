"""Three years of subscription contracts, simulated one account at a time.

Each account lives through "lives": a run of back-to-back rows of one subscription_id for the
core product (annual terms or monthly billing), with seat upgrades and downgrades as new rows,
add-on products (Analytics, 数据连接器) inside the life, and an end: still running today,
churn, or a late renewal (a new subscription_id some days after the due date). Churned
accounts sometimes come back (reactivation). The loop is scalar by nature (every step depends
on the previous one), so it uses `random.Random` seeded from the numpy Generator: same seed,
same contracts, and ~20x faster than numpy scalar draws.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from b2bgrowth.demo import vocab
from b2bgrowth.demo.firmographics import AccountFrame

ANNUAL_SHARE = {"KA": 1.0, "CA": 0.8, "SMB": 0.5}
YEARLY_CHURN = {"KA": 0.07, "CA": 0.15, "SMB": 0.28}
ANALYTICS_SHARE = {"KA": 0.55, "CA": 0.35, "SMB": 0.12}
CONNECTOR_SHARE = {"KA": 0.4, "CA": 0.2, "SMB": 0.05}
TRIAL_SHARE = {"KA": 0.1, "CA": 0.35, "SMB": 0.5}
SEATS = {"KA": (100, 800), "CA": (20, 120), "SMB": (3, 20)}
TRIAL_DAYS = 14


@dataclass
class UsageInterval:
    """A stretch of days an account uses the product, for the usage-event generator."""

    account: int
    start: int
    end: int
    users: int
    decays: bool  # usage fades towards `end` (it ends in churn or the account is at risk)
    connector: bool


@dataclass
class ContractBook:
    rows: list[dict] = field(default_factory=list)
    intervals: list[UsageInterval] = field(default_factory=list)
    lifecycle: list[str] = field(default_factory=list)
    first_paid_day: list[int | None] = field(default_factory=list)
    churn_days: list[list[int]] = field(default_factory=list)
    first_mrr: list[float] = field(default_factory=list)


class _AccountSimulation:
    def __init__(self, book: ContractBook, r: random.Random, frame: AccountFrame, i: int,
                 horizon: int, to_date, to_local):
        self.book, self.r, self.i, self.horizon = book, r, i, horizon
        self.tier = str(frame.tier[i])
        self.account_id = str(frame.ids[i])
        self.channel = frame.type[i] == "channel"
        self.to_date, self.to_local = to_date, to_local
        self.start_date = to_date(0)
        self.currency = "USD" if frame.overseas[i] else "CNY"
        self.discount = r.uniform(0.75, 1.0)
        self.lives = 0
        self.first_paid: int | None = None
        self.churns: list[int] = []
        self.first_mrr = 0.0

    # -- rows ---------------------------------------------------------------------------------
    def _row(self, sid, product, plan, mrr, seats, start, end, billing):
        self.book.rows.append({
            "subscription_id": sid, "start_date": self.to_date(start), "account_id": self.account_id,
            "product": product, "plan": plan, "mrr": round(self.to_local(mrr, self.currency), 2),
            "currency": self.currency, "seats": seats,
            "end_date": None if end is None else self.to_date(end), "attributes": {"billing": billing},
        })
        if mrr > 0 and self.first_paid is None:
            self.first_paid = start
            self.first_mrr = mrr

    def _seat_mrr(self, product, seats):
        return seats * vocab.SEAT_PRICE[product][self.tier] * self.discount

    def add_months(self, day: int, months: int) -> int:
        """The same day of the month `months` later (clipped to month end), as a day index."""
        d = self.to_date(day)
        y, m = divmod(d.month - 1 + months, 12)
        last = calendar.monthrange(d.year + y, m + 1)[1]
        return (date(d.year + y, m + 1, min(d.day, last)) - self.start_date).days

    def _next_sid(self):
        self.lives += 1
        return f"S{self.account_id[1:]}-{self.lives}"

    # -- a life of the core product -------------------------------------------------------------
    def core_life(self, start: int, seats: int, annual: bool) -> tuple[int | None, str]:
        """Rows of one subscription_id from `start`; returns (end day or None if ongoing, how it ended)."""
        r, sid, plan = self.r, self._next_sid(), vocab.PLANS[self.tier]
        churn_year = min(0.9, YEARLY_CHURN[self.tier] * (1.4 if self.channel else 1.0))
        s = start
        if annual:
            while True:
                e = self.add_months(s, 12)
                if r.random() < 0.12:  # mid-term upsell: more seats from a day inside the term
                    cut = s + r.randint(60, 300)
                    self._row(sid, vocab.CORE, plan, self._seat_mrr(vocab.CORE, seats), seats, s, cut, "annual")
                    s, seats = cut, int(seats * r.uniform(1.2, 1.8)) + 1
                self._row(sid, vocab.CORE, plan, self._seat_mrr(vocab.CORE, seats), seats, s, e, "annual")
                if e > self.horizon:
                    return None, "ongoing"
                roll = r.random()
                if roll < churn_year:
                    return e, "churn"
                if roll < churn_year + 0.07:
                    return e, "late"
                change = r.random()
                if change < 0.25:
                    seats = int(seats * r.uniform(1.1, 1.6)) + 1
                elif change < 0.33:
                    seats = max(1, int(seats * r.uniform(0.6, 0.9)))
                if r.random() < 0.6:  # most renewals are signed as a new contract (new id), others auto-renew
                    sid = self._next_sid()
                s = e
        monthly_churn = 1 - (1 - churn_year) ** (1 / 12)
        while True:  # monthly contract: one row per calendar month, seats may change any month
            e = self.add_months(s, 1)
            self._row(sid, vocab.CORE, plan, self._seat_mrr(vocab.CORE, seats), seats, s, e, "monthly")
            if e > self.horizon:
                return None, "ongoing"
            roll = r.random()
            if roll < monthly_churn:
                return e, "churn"
            if roll < monthly_churn + 0.04:
                seats = int(seats * r.uniform(1.1, 1.5)) + 1
            elif roll < monthly_churn + 0.055:
                seats = max(1, int(seats * r.uniform(0.6, 0.9)))
            s = e

    def add_on(self, product: str, life_start: int, life_end: int | None, core_seats: int) -> bool:
        r = self.r
        start = life_start + r.randint(30, 500)
        stop = self.horizon if life_end is None else life_end
        if start >= stop or start > self.horizon:
            return False
        end = life_end
        if r.random() < 0.2:  # cancels the add-on alone: a contraction, not a churn
            end = r.randint(start + 30, start + 400)
            if (life_end is not None and end >= life_end) or end > self.horizon:
                end = life_end
        if product == vocab.CONNECTOR:
            seats, mrr = None, vocab.CONNECTOR_FLAT_PRICE[self.tier] * self.discount
        else:
            seats = max(1, int(core_seats * r.uniform(0.2, 0.6)))
            mrr = self._seat_mrr(product, seats)
        self._row(self._next_sid(), product, vocab.PLANS[self.tier], mrr, seats, start, end, "monthly")
        return True

    # -- the whole account ------------------------------------------------------------------------
    def run(self, created: int) -> None:
        r, tier, book = self.r, self.tier, self.book
        start = created + r.randint(0, 60)
        if start > self.horizon or r.random() < 0.08:  # prospect only: never bought
            self.finish(at_risk=False)
            return
        lo, hi = SEATS[tier]
        seats = r.randint(lo, hi)
        if start >= 0 and r.random() < TRIAL_SHARE[tier]:
            converts = r.random() < 0.75
            trial_sid = f"T{self.account_id[1:]}"
            self._row(trial_sid, vocab.CORE, vocab.TRIAL_PLAN, 0.0, min(seats, 5), start, start + TRIAL_DAYS, "trial")
            book.intervals.append(UsageInterval(self.i, start, min(start + TRIAL_DAYS, self.horizon),
                                                min(seats, 5), not converts, False))
            start += TRIAL_DAYS
            if not converts or start > self.horizon:
                self.finish(at_risk=False)
                return
        annual = r.random() < ANNUAL_SHARE[tier]
        ongoing = False
        while start <= self.horizon:
            end, how = self.core_life(start, seats, annual)
            connector = False
            if r.random() < ANALYTICS_SHARE[tier]:
                self.add_on(vocab.ANALYTICS, start, end, seats)
            if r.random() < CONNECTOR_SHARE[tier]:
                connector = self.add_on(vocab.CONNECTOR, start, end, seats)
            usage_end = self.horizon if end is None else min(end, self.horizon)
            book.intervals.append(UsageInterval(self.i, max(start, -90), usage_end, min(seats, 60),
                                                how == "churn", connector))
            if end is None:
                ongoing = True
                break
            if how == "late":
                start = end + r.randint(3, 75)
                continue
            self.churns.append(end)
            if r.random() >= 0.18:  # most churned accounts stay gone
                break
            start = end + r.randint(60, 400)
            seats = max(1, int(seats * r.uniform(0.5, 1.0)))
        at_risk = ongoing and r.random() < 0.08
        if at_risk:  # usage fades towards today: tomorrow's churners, for churn prediction
            book.intervals[-1].decays = True
        self.finish(at_risk=at_risk, ongoing=ongoing)

    def finish(self, at_risk: bool, ongoing: bool = False) -> None:
        book = self.book
        if self.first_paid is None:
            stage = "prospect"
        elif not ongoing:
            stage = "churned"
        elif at_risk:
            stage = "at_risk"
        elif self.horizon - self.first_paid < 90:
            stage = "onboarding"
        elif self.horizon - self.first_paid < 365:
            stage = "adopting"
        else:
            stage = "mature"
        book.lifecycle.append(stage)
        book.first_paid_day.append(self.first_paid)
        book.churn_days.append(self.churns)
        book.first_mrr.append(self.first_mrr)


def simulate_contracts(rng: np.random.Generator, frame: AccountFrame, start: date, horizon: int) -> ContractBook:
    """Subscription rows for every account; `horizon` = day index of 'today' (0 = `start`)."""
    r = random.Random(int(rng.integers(0, 2**63 - 1)))
    book = ContractBook()
    date_cache: dict[int, date] = {}

    def to_date(day: int) -> date:
        d = date_cache.get(day)
        if d is None:
            d = date_cache[day] = start + timedelta(days=day)
        return d

    def to_local(mrr_cny: float, currency: str) -> float:
        return mrr_cny * vocab.USD_PER_CNY if currency == "USD" else mrr_cny

    for i in range(len(frame)):
        _AccountSimulation(book, r, frame, i, horizon, to_date, to_local).run(int(frame.created_day[i]))
    return book
