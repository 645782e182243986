"""Playbook rules: each turns a signal frame into task signals (issue 4 item 8, docs/customer-success.md).

A rule is code (what it looks at, its task title) plus settings an admin may change (enabled,
due_days, thresholds in `params`; stored in `cs_playbook_rules`, defaults below until then).
`evaluate(inputs, params, as_of)` is a pure function of hand-buildable frames, so every rule is
tested on planted signals without the rest of the capability.

Signal keys (stable; the de-duplication in engine.py compares them):
  risk:red_renewal:<account>:<due_date>         one per account and contract due date
  risk:usage_down:<account>:<YYYY-MM>           subject risk:usage_down:<account>
  detractor:<response_id>                       one per NPS response
  onboarding:<account>:<milestone_id>           one per milestone
  expansion:seats:<account>:<YYYY-Qn>           subject expansion:seats:<account>
  renewal:<account>:<subscription_id>:<due>     one per contract chain and due date
The *subject* is the key without its period for the two rules whose condition is a state
that lasts (usage down, seats nearly full): one open task per account covers the whole
episode; after it is closed, the state still holding in a later month (quarter) is a new
occurrence with a new key. For the other rules subject == key.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from b2bgrowth.i18n.labels import N_
from b2bgrowth.reporting.jsonable import is_missing


@dataclass
class Inputs:
    """What rules read; None = not available (the rules needing it are skipped, with a reason).

    signals: account_signals(ws, as_of) — account_id, usage_trend_30d, seat_utilisation,
             days_to_renewal, next_due_date, …
    health: health_at(ws, as_of) — account_id, health_score, health_color
    overdue: overdue_milestones(ws, as_of) — account_id, milestone_id, name, due_date
    nps: nps_responses with at < as_of + 1 day — response_id, account_id, at, score
    chains: chains_as_of(ws, as_of) — account_id, subscription_id, due_date
    """

    signals: pd.DataFrame | None = None
    health: pd.DataFrame | None = None
    overdue: pd.DataFrame | None = None
    nps: pd.DataFrame | None = None
    chains: pd.DataFrame | None = None
    missing: dict[str, str] = field(default_factory=dict)  # input name -> why it is missing


@dataclass(frozen=True)
class Signal:
    rule_id: str
    type: str
    account_id: str
    key: str
    subject: str
    values: dict  # fills the title (strings) and keeps the figures that fired the rule


@dataclass(frozen=True)
class RuleSpec:
    rule_id: str
    type: str
    title: str  # msgid; %(name)s placeholders filled from Signal.values
    description: str  # msgid shown in the rules list
    due_days: int
    params: dict  # default thresholds (numbers)
    needs: tuple[str, ...]
    auto_close: bool  # close its open tasks when the signal no longer holds
    evaluate: Callable[[Inputs, dict, date], list[Signal]]


def _iso(value) -> str | None:
    if is_missing(value):
        return None
    return pd.Timestamp(value).date().isoformat()


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _red_renewal(inputs: Inputs, params: dict, as_of: date) -> list[Signal]:
    frame = inputs.signals[["account_id", "days_to_renewal", "next_due_date"]].merge(
        inputs.health[["account_id", "health_color", "health_score"]], on="account_id")
    hit = frame[(frame["health_color"] == "red") & frame["days_to_renewal"].notna()
                & (frame["days_to_renewal"] < params["days"])]
    out = []
    for row in hit.itertuples(index=False):
        due = _iso(row.next_due_date)
        key = f"risk:red_renewal:{row.account_id}:{due}"
        out.append(Signal("red_renewal", "risk", row.account_id, key, key, {
            "due_date": due, "days_to_renewal": int(row.days_to_renewal),
            "health_score": None if pd.isna(row.health_score) else float(row.health_score)}))
    return out


def _usage_down(inputs: Inputs, params: dict, as_of: date) -> list[Signal]:
    frame = inputs.signals
    # "down more than x over 30 days": events in the last 30 days against the 30 before.
    hit = frame[frame["usage_trend_30d"].notna() & (frame["usage_trend_30d"] < -params["drop"])]
    out = []
    for row in hit[["account_id", "usage_trend_30d"]].itertuples(index=False):
        subject = f"risk:usage_down:{row.account_id}"
        out.append(Signal("usage_down", "risk", row.account_id, f"{subject}:{as_of:%Y-%m}", subject, {
            "drop": _pct(-float(row.usage_trend_30d)), "usage_trend_30d": float(row.usage_trend_30d)}))
    return out


def _detractor(inputs: Inputs, params: dict, as_of: date) -> list[Signal]:
    frame = inputs.nps
    first = pd.Timestamp(as_of - timedelta(days=int(params["days"]) - 1))
    end = pd.Timestamp(as_of + timedelta(days=1))
    at = pd.to_datetime(frame["at"])
    hit = frame[frame["account_id"].notna() & (frame["score"] <= params["max_score"]) & (at >= first) & (at < end)]
    return [Signal("detractor", "detractor", row.account_id, f"detractor:{row.response_id}",
                   f"detractor:{row.response_id}",
                   {"score": int(row.score), "response_id": row.response_id, "at": _iso(row.at)})
            for row in hit.itertuples(index=False)]


def _onboarding_overdue(inputs: Inputs, params: dict, as_of: date) -> list[Signal]:
    out = []
    for row in inputs.overdue.itertuples(index=False):
        key = f"onboarding:{row.account_id}:{row.milestone_id}"
        out.append(Signal("onboarding_overdue", "onboarding", row.account_id, key, key, {
            "milestone": str(row.name), "milestone_id": str(row.milestone_id), "due_date": _iso(row.due_date)}))
    return out


def _seat_utilisation(inputs: Inputs, params: dict, as_of: date) -> list[Signal]:
    frame = inputs.signals
    hit = frame[frame["seat_utilisation"].notna() & (frame["seat_utilisation"] > params["threshold"])]
    quarter = f"{as_of.year}-Q{(as_of.month - 1) // 3 + 1}"
    out = []
    for row in hit[["account_id", "seat_utilisation"]].itertuples(index=False):
        subject = f"expansion:seats:{row.account_id}"
        out.append(Signal("seat_utilisation", "expansion", row.account_id, f"{subject}:{quarter}", subject, {
            "utilisation": _pct(float(row.seat_utilisation)), "seat_utilisation": float(row.seat_utilisation)}))
    return out


def _renewal_due(inputs: Inputs, params: dict, as_of: date) -> list[Signal]:
    frame = inputs.chains
    due = pd.to_datetime(frame["due_date"]).dt.date
    hit = frame[(due > as_of) & (due <= as_of + timedelta(days=int(params["days"])))]
    out = []
    for row in hit[["account_id", "subscription_id", "due_date"]].itertuples(index=False):
        day = _iso(row.due_date)
        key = f"renewal:{row.account_id}:{row.subscription_id}:{day}"
        out.append(Signal("renewal_due", "renewal", row.account_id, key, key,
                          {"due_date": day, "subscription_id": str(row.subscription_id)}))
    return out


RULES: tuple[RuleSpec, ...] = (
    RuleSpec("red_renewal", "risk", N_("Red health, contract due %(due_date)s"),
             N_("Health is red and a contract is due in fewer than `days` days."),
             3, {"days": 90}, ("signals", "health"), True, _red_renewal),
    RuleSpec("usage_down", "risk", N_("Usage down %(drop)s over 30 days"),
             N_("Events in the last 30 days fell by more than `drop` against the 30 days before."),
             7, {"drop": 0.30}, ("signals",), True, _usage_down),
    RuleSpec("detractor", "detractor", N_("Detractor: NPS score %(score)s"),
             N_("An NPS response scored at most `max_score` in the last `days` days (one task per response)."),
             2, {"max_score": 6, "days": 30}, ("nps",), False, _detractor),
    RuleSpec("onboarding_overdue", "onboarding", N_("Onboarding milestone overdue: %(milestone)s"),
             N_("An onboarding milestone is past its target day (one task per milestone)."),
             5, {}, ("overdue",), True, _onboarding_overdue),
    RuleSpec("seat_utilisation", "expansion", N_("Seats %(utilisation)s used: expansion"),
             N_("Monthly active users divided by seats is above `threshold`."),
             14, {"threshold": 0.90}, ("signals",), True, _seat_utilisation),
    RuleSpec("renewal_due", "renewal", N_("Contract due %(due_date)s: renewal"),
             N_("A contract chain comes due within `days` days (one task per chain and due date)."),
             7, {"days": 90}, ("chains",), True, _renewal_due),
)
RULES_BY_ID = {r.rule_id: r for r in RULES}
# Bounds an admin's edit must respect, per parameter name.
PARAM_BOUNDS = {"days": (1, 3650), "drop": (0.0, 1.0), "max_score": (0, 10), "threshold": (0.0, 10.0)}


TRANSLATED_SIGNAL_FIELDS = ("milestone",)


def task_title(rule_id: str | None, signal: dict | None, fallback: str, translate=lambda s: s) -> str:
    """The task title in the reader's language: the rule's msgid translated, then filled."""
    spec = RULES_BY_ID.get(rule_id or "")
    if spec is None or not signal:
        return fallback
    # Names that may be built-in catalog entries (the default milestones) read in the reader's
    # language too; a name an admin typed is not in the catalog and comes back as typed.
    values = {k: translate(v) if k in TRANSLATED_SIGNAL_FIELDS and isinstance(v, str) else v for k, v in signal.items()}
    try:
        return translate(spec.title) % values
    except (KeyError, TypeError, ValueError):
        return fallback
