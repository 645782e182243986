"""run_playbooks(ws, as_of): signals → tasks for the account owner, without duplicates.

For every enabled rule whose inputs are available, each signal it fires on as_of is matched
against the existing tasks, in this order:
  1. a task with the same signal_key exists (any status) → nothing new: an open or snoozed one
     is *kept*; a done or cancelled one means this occurrence was handled (*handled*) — it is
     not reopened, and a new task comes only when the signal recurs under a different key
     (a new contract due date, a new NPS response, a new month/quarter for the lasting states);
  2. an open or snoozed task of the same rule with the same *subject* (rules.py) exists →
     *kept* (the lasting state continues; no second open task per account);
  3. otherwise a task is *created*: owner = the account's owner (current value), due on
     as_of + the rule's due_days, title from the rule's template.
Then, for rules with auto_close (all but detractor), open and snoozed tasks of the rule whose
subject no longer fires, and whose signal_date ≤ as_of, are *closed*: status cancelled with a
comment "signal no longer holds on <as_of>". A rule that was skipped or is disabled closes
nothing. Snoozed tasks whose day has come (snoozed_until ≤ as_of) are opened first (*woken*).
So any number of runs never leaves two open/snoozed tasks with one signal_key (tested).
"""

from __future__ import annotations

import logging
import uuid
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.success.models import CsTask
from b2bgrowth.success.playbooks.config import RuleSettings, load_rules
from b2bgrowth.success.playbooks.rules import Inputs, Signal, task_title
from b2bgrowth.success.playbooks.tasks import ACTIVE, wake_snoozed
from b2bgrowth.voc.models import NpsResponse

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

log = logging.getLogger(__name__)


def nps_frame(ws: Workspace, as_of: date) -> pd.DataFrame:
    """NPS responses with an account, at < as_of + 1 day (point in time)."""
    end = datetime.combine(as_of + timedelta(days=1), datetime.min.time())
    with ws.store.read() as session:
        rows = session.execute(select(NpsResponse.response_id, NpsResponse.account_id, NpsResponse.at,
                                      NpsResponse.score)
                               .where(NpsResponse.at < end, NpsResponse.account_id.is_not(None))).all()
    return pd.DataFrame(rows, columns=["response_id", "account_id", "at", "score"])


def gather_inputs(ws: Workspace, as_of: date, needs: set[str]) -> Inputs:
    """Only the inputs some enabled rule needs (each costs a computation)."""
    from b2bgrowth.success.health import health_at
    from b2bgrowth.success.onboarding import overdue_milestones
    from b2bgrowth.success.signals import account_signals, chains_as_of

    inputs = Inputs()
    if needs & {"signals", "health"}:
        inputs.signals = account_signals(ws, as_of)
    if "health" in needs:
        inputs.health = health_at(ws, as_of, signals=inputs.signals)
    if "overdue" in needs:
        inputs.overdue = overdue_milestones(ws, as_of)
    if "chains" in needs:
        inputs.chains = chains_as_of(ws, as_of)
    if "nps" in needs:
        inputs.nps = nps_frame(ws, as_of)
    return inputs


def evaluate_rules(rules: list[RuleSettings], inputs: Inputs, as_of: date) -> tuple[dict, dict]:
    """(signals by rule_id, skipped {rule_id: reason}) for the enabled rules."""
    fired, skipped = {}, {}
    for rule in rules:
        if not rule.enabled:
            continue
        absent = [inputs.missing.get(n, f"{n} not available") for n in rule.spec.needs
                  if getattr(inputs, n) is None]
        if absent:
            skipped[rule.spec.rule_id] = "; ".join(absent)
            log.warning("playbooks: rule %s skipped: %s", rule.spec.rule_id, skipped[rule.spec.rule_id])
            continue
        fired[rule.spec.rule_id] = rule.spec.evaluate(inputs, rule.params, as_of)
    return fired, skipped


def subject_of(task: CsTask) -> str:
    """A stored task's subject: the one its signal had when it fired (kept in `signal`)."""
    return (task.signal or {}).get("_subject") or task.signal_key


def apply_signals(ws: Workspace, as_of: date, rules: list[RuleSettings], fired: dict[str, list[Signal]]) -> dict:
    counts = {"created": 0, "kept": 0, "handled": 0, "closed": 0, "woken": 0}
    settings = {r.spec.rule_id: r for r in rules}
    now = datetime.now().replace(microsecond=0)
    with ws.store.write(touched=["cs_tasks"]) as session:
        counts["woken"] = wake_snoozed(session, as_of)
        tasks = session.execute(select(CsTask).where(CsTask.rule_id.in_(list(fired)))).scalars().all()
        by_key = {t.signal_key: t for t in tasks}
        active_subjects = {(t.rule_id, subject_of(t)) for t in tasks if t.status in ACTIVE}
        accounts = {a.account_id: a for a in session.execute(select(Account)).scalars()}
        for rule_id, signals in fired.items():
            rule = settings[rule_id]
            for sig in signals:
                if sig.key in by_key:
                    counts["kept" if by_key[sig.key].status in ACTIVE else "handled"] += 1
                    continue
                if (rule_id, sig.subject) in active_subjects:
                    counts["kept"] += 1
                    continue
                account = accounts.get(sig.account_id)
                values = {**sig.values, "_subject": sig.subject}
                task = CsTask(
                    task_id=f"T{uuid.uuid4().hex[:12]}", account_id=sig.account_id, type=sig.type,
                    signal_key=sig.key, rule_id=rule_id, signal=values, signal_date=as_of,
                    title=task_title(rule_id, values, rule_id)[:255],
                    owner=account.owner if account else None, due_date=as_of + timedelta(days=rule.due_days),
                    status="open", comments=[], created_at=now, updated_at=now,
                )
                session.add(task)
                by_key[sig.key] = task
                active_subjects.add((rule_id, sig.subject))
                counts["created"] += 1
            if not rule.spec.auto_close:
                continue
            holding = {s.subject for s in signals}
            for task in tasks:
                if (task.rule_id == rule_id and task.status in ACTIVE and subject_of(task) not in holding
                        and (task.signal_date is None or task.signal_date <= as_of)):
                    task.status, task.snoozed_until, task.closed_at, task.updated_at = "cancelled", None, now, now
                    task.comments = [*(task.comments or []), {
                        "kind": "status", "author": "playbooks", "at": now.isoformat(),
                        "text": f"cancelled: signal no longer holds on {as_of.isoformat()}"}]
                    counts["closed"] += 1
    return counts


def run_playbooks(ws: Workspace, as_of: date | None = None, inputs: Inputs | None = None) -> dict:
    """Evaluate every enabled rule on as_of and bring the tasks up to date (see module doc).

    `inputs` (optional) replaces the computed signal frames — hand-built frames in tests and
    notebooks; by default they come from signals / health / onboarding / nps_responses."""
    as_of = as_of or date.today()
    rules = load_rules(ws)
    if inputs is None:
        needs = {n for r in rules if r.enabled for n in r.spec.needs}
        inputs = gather_inputs(ws, as_of, needs)
    fired, skipped = evaluate_rules(rules, inputs, as_of)
    counts = apply_signals(ws, as_of, rules, fired)
    return {"as_of": as_of.isoformat(), **counts,
            "signals": {rule_id: len(s) for rule_id, s in fired.items()}, "skipped": skipped}
