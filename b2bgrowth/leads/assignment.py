"""Who gets an MQL: assignment rules (issue 3 item 4).

A rule says "MQLs whose <field> is <value> go to these owners, in turn" — field is region,
industry, tier, or any (matches every lead). Unassigned MQLs are taken oldest first
(created_at, then lead_id); each goes to the first active rule, by priority then rule_id,
that matches it; the rule's owners are served round robin, its position remembered in the
table so the next run continues where this one stopped. An MQL no rule matches stays
unassigned (and appears in the SLA overdue list when its time runs out).

Matching is case-insensitive and ignores surrounding spaces. A lead's tier is the tier of the
account with the same normalised company name (normalize_company), else attributes["tier"].
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select

from b2bgrowth.leads import dedupe
from b2bgrowth.leads.models import AssignmentRule, Lead
from b2bgrowth.leads.normalize import normalize_company

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

RULE_FIELDS = ("any", "region", "industry", "tier")


class AssignmentError(ValueError):
    pass


class RuleIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    rule_id: str = Field(min_length=1, max_length=64)
    field: str = "any"
    value: str | None = Field(None, max_length=255)
    owners: list[str] = Field(min_length=1)
    priority: int = 100
    active: bool = True

    @field_validator("field")
    @classmethod
    def _field(cls, v: str) -> str:
        if v not in RULE_FIELDS:
            raise ValueError(f"field must be one of {', '.join(RULE_FIELDS)}, not {v!r}")
        return v

    @field_validator("owners")
    @classmethod
    def _owners(cls, v: list[str]) -> list[str]:
        owners = [o.strip() for o in v if o and o.strip()]
        if not owners or any("," in o for o in owners):
            raise ValueError("owners: at least one login, none containing a comma")
        return owners


def set_rule(ws: Workspace, rule: RuleIn) -> dict:
    """Create or replace a rule (its round-robin position restarts when the owners change)."""
    if rule.field != "any" and not rule.value:
        raise AssignmentError(f"rule {rule.rule_id}: field {rule.field} needs a value")
    with ws.store.write(touched=["assignment_rules"]) as session:
        row = session.get(AssignmentRule, rule.rule_id)
        owners = ",".join(rule.owners)
        if row is None:
            row = AssignmentRule(rule_id=rule.rule_id, position=0)
            session.add(row)
        elif row.owners != owners:
            row.position = 0
        row.field, row.value, row.owners = rule.field, rule.value, owners
        row.priority, row.active = rule.priority, rule.active
    return rule_dict(row)


def delete_rule(ws: Workspace, rule_id: str) -> bool:
    with ws.store.write(touched=["assignment_rules"]) as session:
        row = session.get(AssignmentRule, rule_id)
        if row is not None:
            session.delete(row)
        return row is not None


def rules(ws: Workspace) -> list[dict]:
    with ws.store.read() as session:
        rows = session.execute(select(AssignmentRule).order_by(AssignmentRule.priority, AssignmentRule.rule_id)).scalars()
        return [rule_dict(r) for r in rows]


def rule_dict(row: AssignmentRule) -> dict:
    return {"rule_id": row.rule_id, "field": row.field, "value": row.value, "owners": row.owners.split(","),
            "priority": row.priority, "active": bool(row.active), "position": row.position}


def _fold(value) -> str | None:
    if value is None:
        return None
    text = str(value).strip().lower()
    return text or None


def _account_tiers(ws: Workspace) -> dict[str, str]:
    from b2bgrowth.accounts.models import Account

    with ws.store.read() as session:
        rows = session.execute(select(Account.name, Account.tier)).all()
    return {key: tier for name, tier in rows if tier and (key := normalize_company(name))}


def _lead_tier(row, tiers: dict[str, str]) -> str | None:
    key = normalize_company(row["company"]) if row["company"] is not None else None
    if key and key in tiers:
        return tiers[key]
    attributes = row.get("attributes")
    if isinstance(attributes, str) and attributes:
        import json

        try:
            return (json.loads(attributes) or {}).get("tier")
        except (ValueError, AttributeError):
            return None
    return None


def assign_mqls(ws: Workspace, now: datetime | None = None) -> dict[str, str]:
    """Give every unassigned MQL an owner by the rules; returns {merged lead_id: owner}."""
    now = now or datetime.now().replace(microsecond=0)
    merged = dedupe.merged_leads(ws)
    if merged.empty:
        return {}
    mqls = merged.loc[merged["status"] == "mql"]
    # Unassigned: no member has an owner (an owner on any member means sales already has it).
    owned = dedupe.load_leads_by_id(ws, [m for ids in mqls["member_ids"] for m in ids]) if len(mqls) else None
    has_owner = set(owned.loc[owned["owner"].notna(), "lead_id"]) if owned is not None else set()
    todo = mqls.loc[[not (set(ids) & has_owner) for ids in mqls["member_ids"]]]
    todo = todo.sort_values(["created_at", "lead_id"], na_position="last")
    active = [r for r in rules(ws) if r["active"]]
    if todo.empty or not active:
        return {}
    tiers = _account_tiers(ws) if any(r["field"] == "tier" for r in active) else {}
    positions = {r["rule_id"]: r["position"] for r in active}
    chosen: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for _, lead in todo.iterrows():
        values = {"region": _fold(lead["region"]), "industry": _fold(lead["industry"]),
                  "tier": _fold(_lead_tier(lead, tiers)) if tiers else None}
        for rule in active:
            if rule["field"] == "any" or values[rule["field"]] == _fold(rule["value"]):
                position = positions[rule["rule_id"]]
                chosen[lead["lead_id"]] = rule["owners"][position % len(rule["owners"])]
                positions[rule["rule_id"]] = position + 1
                members[lead["lead_id"]] = list(lead["member_ids"])
                break
    with ws.store.write(touched=["leads", "assignment_rules"]) as session:
        for lead_id, owner in chosen.items():
            for row in session.execute(select(Lead).where(Lead.lead_id.in_(members[lead_id]))).scalars():
                row.owner, row.assigned_at = owner, now
        for rule_id, position in positions.items():
            stored = session.get(AssignmentRule, rule_id)
            if stored is not None:  # None: the rule was deleted since the leads were routed
                stored.position = position
    return chosen
