"""Rule settings an admin edits: enabled, due_days, thresholds. Defaults (rules.py) until saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select

from b2bgrowth.success.playbooks.models import PlaybookRule
from b2bgrowth.success.playbooks.rules import PARAM_BOUNDS, RULES, RULES_BY_ID, RuleSpec

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


class RuleError(ValueError):
    """A rule edit that cannot be saved; the message names the rule and the field."""


@dataclass(frozen=True)
class RuleSettings:
    spec: RuleSpec
    enabled: bool
    due_days: int
    params: dict
    version: int  # 0 = the defaults, never saved
    updated_at: datetime | None = None
    updated_by: str | None = None

    def as_dict(self) -> dict:
        return {"rule_id": self.spec.rule_id, "type": self.spec.type, "title": self.spec.title,
                "description": self.spec.description, "enabled": self.enabled, "due_days": self.due_days,
                "params": self.params, "auto_close": self.spec.auto_close, "needs": list(self.spec.needs),
                "version": self.version, "updated_at": self.updated_at.isoformat() if self.updated_at else None,
                "updated_by": self.updated_by}


def load_rules(ws: Workspace) -> list[RuleSettings]:
    with ws.store.read() as session:
        rows = {r.rule_id: r for r in session.execute(select(PlaybookRule)).scalars()}
    out = []
    for spec in RULES:
        row = rows.get(spec.rule_id)
        if row is None:
            out.append(RuleSettings(spec, True, spec.due_days, dict(spec.params), 0))
        else:
            # A saved row keeps only known parameters; one added to the code later gets its default.
            params = {**spec.params, **{k: v for k, v in (row.params or {}).items() if k in spec.params}}
            out.append(RuleSettings(spec, bool(row.enabled), int(row.due_days), params, int(row.version),
                                    row.updated_at, row.updated_by))
    return out


def save_rule(ws: Workspace, rule_id: str, *, enabled: bool | None = None, due_days: int | None = None,
              params: dict | None = None, by: str | None = None) -> RuleSettings:
    """Change one rule's settings (unchanged fields keep their value); version + 1."""
    spec = RULES_BY_ID.get(rule_id)
    if spec is None:
        raise RuleError(f"unknown rule {rule_id!r}; rules: {', '.join(RULES_BY_ID)}")
    current = next(r for r in load_rules(ws) if r.spec.rule_id == rule_id)
    new_params = dict(current.params)
    for name, value in (params or {}).items():
        if name not in spec.params:
            raise RuleError(f"rule {rule_id}: unknown parameter {name!r}; parameters: "
                            f"{', '.join(spec.params) or 'none'}")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise RuleError(f"rule {rule_id}: parameter {name} = {value!r} is not a number") from None
        low, high = PARAM_BOUNDS[name]
        if not low <= number <= high:
            raise RuleError(f"rule {rule_id}: parameter {name} = {number:g} is outside [{low:g}, {high:g}]")
        new_params[name] = int(number) if isinstance(spec.params[name], int) else number
    if due_days is not None and not 0 <= int(due_days) <= 365:
        raise RuleError(f"rule {rule_id}: due_days = {due_days} is outside [0, 365]")
    with ws.store.write(touched=["cs_playbook_rules"]) as session:
        row = session.get(PlaybookRule, rule_id)
        if row is None:
            row = PlaybookRule(rule_id=rule_id, version=0)
            session.add(row)
        row.enabled = current.enabled if enabled is None else bool(enabled)
        row.due_days = current.due_days if due_days is None else int(due_days)
        row.params = new_params
        row.version = (row.version or 0) + 1
        row.updated_at = datetime.now().replace(microsecond=0)
        row.updated_by = by
    return next(r for r in load_rules(ws) if r.spec.rule_id == rule_id)
