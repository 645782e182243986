"""One account's history as a timeline (the account 360's Timeline panel), newest first.

    account_timeline(ws, account_id, as_of, kinds=None, translate=…, money=…) -> list[dict]
        each {day (date), kind, title, detail, link (str | None), tone (good | bad | neutral)}

Kinds (the filter on the page) and what makes an entry:
  subscription  a subscription's first row (started), a row continuing the previous row of the same
                subscription_id back to back (renewed; "changed" when MRR, seats or plan differ),
                the last row of a run ending on or before as_of (ended)
  revenue       the account's MRR movements (b2bgrowth.revenue: new, expansion, contraction, churn,
                reactivation), one per day the MRR changed
  nps           NPS responses (promoter ≥ 9, passive 7–8, detractor ≤ 6)
  task          CS tasks opened (created_at) and closed (closed_at: done / cancelled)
  opportunity   opportunities won / lost (close_date)
  lead          leads of this account: linked to it directly (leads.account_id) or that became its
                opportunities; each lead once (the lead's created_at)
  onboarding    onboarding milestones reached (b2bgrowth.success.onboarding: events on or after the
                first paid day)

Point in time: only what is dated on or before as_of (subscription rows with start_date ≤ as_of;
an end on or before as_of; responses, tasks and events before as_of + 1 day). Tasks are read
as they are now (their status history is not kept), so a task closed after as_of shows as opened only.

Titles are English message ids (marked with N_ so the catalog has them) passed through `translate`;
`money` formats amounts. Both default to plain English / plain numbers (CLI, tests).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select

from b2bgrowth.i18n.labels import N_

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

KINDS = ("subscription", "revenue", "nps", "task", "opportunity", "lead", "onboarding")
KIND_LABELS = {"subscription": N_("Subscriptions"), "revenue": N_("Revenue"), "nps": N_("NPS"),
               "task": N_("Tasks"), "opportunity": N_("Opportunities"), "lead": N_("Leads"),
               "onboarding": N_("Onboarding")}
# Within one day: money first, then what explains it.
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}

MOVEMENT_TITLES = {"new": N_("New customer MRR"), "expansion": N_("Expansion MRR"),
                   "contraction": N_("Contraction MRR"), "churn": N_("Churned MRR"),
                   "reactivation": N_("Reactivation MRR")}
MOVEMENT_TONES = {"new": "good", "expansion": "good", "reactivation": "good", "contraction": "bad", "churn": "bad"}
NPS_TITLES = {"promoter": N_("NPS promoter"), "passive": N_("NPS passive"), "detractor": N_("NPS detractor")}
_T = [N_("Subscription started"), N_("Subscription renewed"), N_("Subscription changed"), N_("Subscription ended"),
      N_("Task opened"), N_("Task done"), N_("Task cancelled"), N_("Opportunity won"), N_("Opportunity lost"),
      N_("Lead came in"), N_("Onboarding milestone reached"), N_("seats"), N_("plan"), N_("score"),
      N_("%(n)s days late"), N_("from channel %(channel)s")]


def _plain(message: str, **variables) -> str:
    return message % variables if variables else message


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _entry(day: date, kind: str, title: str, detail: str = "", link: str | None = None,
           tone: str = "neutral") -> dict:
    return {"day": day, "kind": kind, "title": title, "detail": detail, "link": link, "tone": tone}


def _as_date(value) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


# -- sources ------------------------------------------------------------------------------------
def subscription_entries(ws: Workspace, account_id: str, as_of: date, t, money) -> list[dict]:
    from b2bgrowth.revenue.models import Subscription

    with ws.store.read() as session:
        rows = session.execute(
            select(Subscription).where(Subscription.account_id == account_id, Subscription.start_date <= as_of)
            .order_by(Subscription.subscription_id, Subscription.start_date)).scalars().all()
    out: list[dict] = []

    def describe(s) -> str:
        parts = [s.subscription_id]
        if s.product or s.plan:
            parts.append(" ".join(p for p in (s.product, s.plan) if p))
        parts.append(money(float(s.mrr or 0), s.currency))
        if s.seats is not None:
            parts.append(f"{s.seats} {t('seats')}")
        return " · ".join(parts)

    for i, s in enumerate(rows):
        prev = rows[i - 1] if i and rows[i - 1].subscription_id == s.subscription_id else None
        nxt = rows[i + 1] if i + 1 < len(rows) and rows[i + 1].subscription_id == s.subscription_id else None
        if prev is not None and prev.end_date == s.start_date:
            changes = []
            if float(prev.mrr or 0) != float(s.mrr or 0):
                changes.append(f"{money(float(prev.mrr or 0), prev.currency)} → {money(float(s.mrr or 0), s.currency)}")
            if prev.seats != s.seats:
                changes.append(f"{t('seats')} {prev.seats if prev.seats is not None else '—'} → "
                               f"{s.seats if s.seats is not None else '—'}")
            if (prev.plan or "") != (s.plan or ""):
                changes.append(f"{t('plan')} {prev.plan or '—'} → {s.plan or '—'}")
            title = t("Subscription changed") if changes else t("Subscription renewed")
            detail = f"{s.subscription_id} · " + "; ".join(changes) if changes else describe(s)
            out.append(_entry(s.start_date, "subscription", title, detail, tone="good" if not changes else "neutral"))
        else:
            out.append(_entry(s.start_date, "subscription", t("Subscription started"), describe(s), tone="good"))
        continued = nxt is not None and nxt.start_date == s.end_date
        if s.end_date is not None and s.end_date <= as_of and not continued:
            out.append(_entry(s.end_date, "subscription", t("Subscription ended"), describe(s), tone="bad"))
    return out


def revenue_entries(ws: Workspace, account_id: str, as_of: date, t, money) -> list[dict]:
    from b2bgrowth.revenue.api import account_movements

    currency = ws.settings.reporting_currency
    out = []
    for m in account_movements(ws, account_id):
        day = date.fromisoformat(m["date"])
        if day > as_of:  # a scheduled end or a future start has not happened yet
            continue
        sign = "+" if m["mrr_after"] >= m["mrr_before"] else "−"
        detail = (f"{sign}{money(m['amount'], currency)} · "
                  f"{money(m['mrr_before'], currency)} → {money(m['mrr_after'], currency)}")
        out.append(_entry(day, "revenue", t(MOVEMENT_TITLES[m["kind"]]), detail, "/revenue",
                          MOVEMENT_TONES[m["kind"]]))
    return out


def nps_entries(ws: Workspace, account_id: str, as_of: date, t, money) -> list[dict]:
    from b2bgrowth.accounts.models import Contact
    from b2bgrowth.voc.api import band
    from b2bgrowth.voc.models import NpsResponse

    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    with ws.store.read() as session:
        rows = session.execute(
            select(NpsResponse.at, NpsResponse.score, NpsResponse.comment, Contact.name)
            .outerjoin(Contact, Contact.contact_id == NpsResponse.contact_id)
            .where(NpsResponse.account_id == account_id, NpsResponse.at < end)).all()
    out = []
    for at, score, comment, name in rows:
        group = band(score)
        parts = [f"{t('score')} {score}"] + ([name] if name else [])
        if comment:
            parts.append(comment if len(comment) <= 140 else comment[:139] + "…")
        tone = {"promoter": "good", "detractor": "bad"}.get(group, "neutral")
        out.append(_entry(_as_date(at), "nps", t(NPS_TITLES[group]), " · ".join(parts), None, tone))
    return out


def task_entries(ws: Workspace, account_id: str, as_of: date, t, money) -> list[dict]:
    from b2bgrowth.success.playbooks.tasks import list_tasks

    out = []
    for task in list_tasks(ws, as_of, account=account_id, translate=t):
        link = f"/success/tasks/{task['task_id']}"
        detail = " · ".join(p for p in (task["title"], t(task["type"]), task["owner"]) if p)
        opened = _as_date(task["created_at"])
        if opened is not None and opened <= as_of:
            out.append(_entry(opened, "task", t("Task opened"), detail, link))
        closed = _as_date(task["closed_at"])
        if closed is not None and closed <= as_of and task["status"] in ("done", "cancelled"):
            title = t("Task done") if task["status"] == "done" else t("Task cancelled")
            out.append(_entry(closed, "task", title, detail, link, "good" if task["status"] == "done" else "neutral"))
    return out


def opportunity_entries(ws: Workspace, account_id: str, as_of: date, t, money) -> list[dict]:
    from b2bgrowth.pipeline.models import Opportunity

    with ws.store.read() as session:
        opps = session.execute(select(Opportunity).where(Opportunity.account_id == account_id)).scalars().all()
    out = []
    for o in opps:
        if o.status in ("won", "lost") and o.close_date is not None and o.close_date <= as_of:
            detail = " · ".join(p for p in (o.name or o.opportunity_id,
                                            money(float(o.amount), o.currency) if o.amount is not None else None,
                                            o.owner) if p)
            won = o.status == "won"
            out.append(_entry(o.close_date, "opportunity", t("Opportunity won") if won else t("Opportunity lost"),
                              detail, "/pipeline", "good" if won else "bad"))
    return out


def lead_entries(ws: Workspace, account_id: str, as_of: date, t, money) -> list[dict]:
    """Leads linked to the account (leads.account_id) and leads of its opportunities, each once."""
    from sqlalchemy import or_

    from b2bgrowth.leads.models import Lead
    from b2bgrowth.pipeline.models import Opportunity

    via_opportunities = select(Opportunity.lead_id).where(Opportunity.account_id == account_id,
                                                         Opportunity.lead_id.is_not(None))
    with ws.store.read() as session:
        leads = session.execute(
            select(Lead.lead_id, Lead.created_at, Lead.channel)
            .where(or_(Lead.account_id == account_id, Lead.lead_id.in_(via_opportunities)))
            .order_by(Lead.lead_id)).all()  # a lead matching both ways is one row
    out = []
    for lead_id, created_at, channel in leads:
        day = _as_date(created_at)
        if day is not None and day <= as_of:
            detail = lead_id + (" · " + t("from channel %(channel)s", channel=channel) if channel else "")
            out.append(_entry(day, "lead", t("Lead came in"), detail, f"/leads/{lead_id}"))
    return out


def paid_facts(ws: Workspace, account_id: str, as_of: date) -> tuple[date | None, bool]:
    """(first paid day, paying on as_of) from the account's rows with start_date ≤ as_of (MRR > 0)."""
    from b2bgrowth.revenue.api import from_day, load_subscription_rows, to_day

    rows = load_subscription_rows(ws, account_id)
    day = to_day(as_of)
    rows = rows[(rows["start"] <= day) & (rows["units"] > 0) & (rows["end"] > rows["start"])]
    if rows.empty:
        return None, False
    return from_day(int(rows["start"].min())), bool(rows.loc[rows["end"] > day, "units"].sum() > 0)


def first_paid_day(ws: Workspace, account_id: str, as_of: date) -> date | None:
    """The first day the account paid (a row with MRR > 0 started on or before as_of), or None."""
    return paid_facts(ws, account_id, as_of)[0]


def milestone_progress(ws: Workspace, account_id: str, as_of: date, paying_only: bool = True) -> list[dict]:
    """The account's onboarding milestones as of a day (T's milestone_done_dates for this one account):
    [{milestone_id, name, due_date, done_date, status, first_paid_day}], status as onboarding_progress
    defines it. Empty when the account never paid, or (paying_only, as onboarding_progress) is not
    paying on as_of."""
    import pandas as pd

    from b2bgrowth.success.onboarding import milestone_done_dates
    from b2bgrowth.success.onboarding_config import load_milestones

    first, paying = paid_facts(ws, account_id, as_of)
    if first is None or (paying_only and not paying):
        return []
    milestones = load_milestones(ws)
    done = milestone_done_dates(ws, pd.DataFrame({"account_id": [account_id], "first_paid_day": [first]}),
                                as_of, milestones)
    out = []
    for m in milestones:
        due = first + timedelta(days=m.target_days)
        reached = done[m.milestone_id].get(account_id)
        status = "done" if reached is not None else ("overdue" if as_of > due else "pending")
        out.append({"milestone_id": m.milestone_id, "name": m.name, "due_date": due, "done_date": reached,
                    "status": status, "first_paid_day": first})
    return out


def onboarding_entries(ws: Workspace, account_id: str, as_of: date, t, money) -> list[dict]:
    out = []
    for m in milestone_progress(ws, account_id, as_of, paying_only=False):
        if m["done_date"] is None:
            continue
        late = (m["done_date"] - m["due_date"]).days
        detail = t(m["name"]) + (f" · {t('%(n)s days late', n=late)}" if late > 0 else "")  # built-in names translate
        out.append(_entry(m["done_date"], "onboarding", t("Onboarding milestone reached"), detail, None,
                          "good" if late <= 0 else "neutral"))
    return out


SOURCES: dict[str, Callable] = {
    "subscription": subscription_entries, "revenue": revenue_entries, "nps": nps_entries, "task": task_entries,
    "opportunity": opportunity_entries, "lead": lead_entries, "onboarding": onboarding_entries,
}


def account_timeline(ws: Workspace, account_id: str, as_of: date, kinds: list[str] | tuple[str, ...] | None = None,
                     translate: Callable[..., str] = _plain, money: Callable | None = None) -> list[dict]:
    """The merged timeline (see the module docstring), newest day first; within a day by kind
    (KINDS order), then as each source listed them."""
    kinds = list(KINDS) if not kinds else list(kinds)
    unknown = [k for k in kinds if k not in KINDS]
    if unknown:
        raise ValueError(f"timeline kinds: {', '.join(map(repr, unknown))} unknown; known: {', '.join(KINDS)}")
    money = money or (lambda value, currency=None: _number(value) + (f" {currency}" if currency else ""))
    entries: list[dict] = []
    called = set()
    for kind in kinds:
        source = SOURCES[kind]
        if source in called:
            continue
        called.add(source)
        entries += source(ws, account_id, as_of, translate, money)
    entries = [e for e in entries if e["kind"] in kinds]
    indexed = sorted(enumerate(entries), key=lambda ie: (-ie[1]["day"].toordinal(), _KIND_ORDER[ie[1]["kind"]], ie[0]))
    return [e for _, e in indexed]
