"""`b2bgrowth success tiers …`, `success stages`, `success milestones` / `success milestone` (issue 4, T).

Listed in b2bgrowth/success/plugin.py COMMAND_MODULES; `register(app)` adds the commands.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Optional

import typer

from b2bgrowth.cli.context import console, fail, print_json, state

tiers_app = typer.Typer(help="Tier rules (KA / CA / SMB; partners apart): show, set, apply.", no_args_is_help=True)


def _threshold(text: Optional[str], option: str) -> tuple[bool, float | None]:
    """(given, value): 'none' or '' clears the threshold."""
    if text is None:
        return False, None
    if text.strip().lower() in ("", "none", "-"):
        return True, None
    try:
        value = float(text.replace(",", "").replace("_", ""))
    except ValueError:
        fail(f"{option}: not a number: {text!r} (use 'none' to clear)")
    return True, value


def _tier_counts(ws) -> dict[str, int]:
    from sqlalchemy import func, select

    from b2bgrowth.accounts.models import Account

    with ws.store.read() as session:
        return {t or "": n for t, n in session.execute(select(Account.tier, func.count()).group_by(Account.tier))}


@tiers_app.command("show")
def tiers_show(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The tier rules in force (the documented defaults until changed) and accounts per tier."""
    from b2bgrowth.accounts.tiers import DEFAULT_RULES, load_rules

    ws = state(ctx).workspace()
    rules = load_rules(ws)
    data = {"rules": [asdict(r) for r in rules], "is_default": rules == list(DEFAULT_RULES),
            "currency": ws.settings.reporting_currency, "accounts_per_tier": _tier_counts(ws)}
    if as_json:
        print_json(data)
        return
    for r in rules:
        console.print(f"{r.tier:<4} ARR ≥ {r.min_arr if r.min_arr is not None else '—'}  "
                      f"employees ≥ {r.min_employees if r.min_employees is not None else '—'}  "
                      f"annual revenue ≥ {r.min_annual_revenue if r.min_annual_revenue is not None else '—'}")
    console.print(f"SMB  otherwise; partners (isv, channel): 'partner'{'  (defaults)' if data['is_default'] else ''}")
    console.print("accounts: " + ", ".join(f"{k or '(none)'} {v}" for k, v in sorted(data["accounts_per_tier"].items())))


@tiers_app.command("set")
def tiers_set(
    ctx: typer.Context,
    tier: str = typer.Argument(..., help="KA or CA (SMB is what no rule matches)."),
    min_arr: Optional[str] = typer.Option(None, "--min-arr", help="ARR threshold (reporting currency); 'none' clears."),
    min_employees: Optional[str] = typer.Option(None, "--min-employees", help="Employees threshold; 'none' clears."),
    min_annual_revenue: Optional[str] = typer.Option(None, "--min-annual-revenue",
                                                     help="Annual revenue threshold; 'none' clears."),
) -> None:
    """Change one tier's thresholds (the others stay) and re-tier every account."""
    from b2bgrowth.accounts.tiers import RULE_TIERS, load_rules, save_rules

    tier = tier.upper()
    if tier not in RULE_TIERS:
        fail(f"tier: one of {', '.join(RULE_TIERS)}, got {tier!r} (SMB is the fallback, partners are apart)")
    ws = state(ctx).workspace()
    changes = {}
    for field, text, option in (("min_arr", min_arr, "--min-arr"), ("min_employees", min_employees, "--min-employees"),
                                ("min_annual_revenue", min_annual_revenue, "--min-annual-revenue")):
        given, value = _threshold(text, option)
        if given:
            if field == "min_employees" and value is not None:
                if value != int(value):
                    fail(f"{option}: a whole number, got {text!r}")
                value = int(value)
            changes[field] = value
    if not changes:
        fail("nothing to change: give --min-arr, --min-employees or --min-annual-revenue")
    rules = [replace(r, **changes) if r.tier == tier else r for r in load_rules(ws)]
    try:
        changed = save_rules(ws, rules, by="cli")
    except ValueError as exc:
        fail(str(exc))
    console.print(f"tier rule {tier} saved; {changed} account(s) changed tier")


@tiers_app.command("reset")
def tiers_reset(ctx: typer.Context) -> None:
    """Back to the documented default rules, and re-tier every account."""
    from b2bgrowth.accounts.tiers import reset_rules

    changed = reset_rules(state(ctx).workspace())
    console.print(f"tier rules reset to the defaults; {changed} account(s) changed tier")


@tiers_app.command("apply")
def tiers_apply(ctx: typer.Context) -> None:
    """Re-tier every account now (ARR moves with time; `recompute` does this too)."""
    from b2bgrowth.accounts.tiers import apply_tiers

    console.print(f"{apply_tiers(state(ctx).workspace())} account(s) changed tier")


def stages(
    ctx: typer.Context,
    as_of: Optional[datetime] = typer.Option(None, "--as-of", formats=["%Y-%m-%d"], help="Day (default today)."),
    write: bool = typer.Option(False, "--write", help="Write Account.lifecycle_stage (today only)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """Lifecycle stage of every account that ever paid (base stage; at_risk when --write with health/risk)."""
    from b2bgrowth.success.lifecycle import lifecycle_stages, update_lifecycle_stages

    ws = state(ctx).workspace()
    day = as_of.date() if as_of else date.today()
    if write:
        if day != date.today():
            fail("--write sets today's stages; leave out --as-of")
        result = update_lifecycle_stages(ws, day)
        print_json(result) if as_json else console.print(
            f"{result['changed']} account(s) changed stage; {result['stages']}; inputs: {result['inputs'] or 'base only'}")
        return
    frame = lifecycle_stages(ws, day)
    counts = {k: int(v) for k, v in frame["base_stage"].value_counts().items()}
    if as_json:
        print_json({"as_of": day.isoformat(), "counts": counts,
                    "accounts": [{"account_id": a, "first_paid_day": f.isoformat(), "base_stage": s}
                                 for a, f, s in zip(frame["account_id"], frame["first_paid_day"], frame["base_stage"])]})
        return
    console.print(f"as of {day}: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())))


def milestones(
    ctx: typer.Context,
    reset: bool = typer.Option(False, "--reset", help="Back to the documented default milestones."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """The onboarding milestones (the defaults until changed)."""
    from b2bgrowth.success.onboarding_config import load_milestones, reset_milestones

    ws = state(ctx).workspace()
    if reset:
        reset_milestones(ws)
    found = load_milestones(ws, include_inactive=True)
    if as_json:
        print_json({"milestones": [asdict(m) for m in found]})
        return
    for m in found:
        console.print(f"{m.position:>4}  {m.milestone_id:<22} {m.describe()}{'' if m.active else '  (inactive)'}")


def milestone(
    ctx: typer.Context,
    milestone_id: str = typer.Argument(..., help="Milestone id (added when new)."),
    name: Optional[str] = typer.Option(None, "--name", help="Name shown on the pages."),
    kind: Optional[str] = typer.Option(None, "--kind", help="event | event_count | active_users."),
    event: Optional[str] = typer.Option(None, "--event", help="Event name ('' = any event, active_users only)."),
    threshold: Optional[int] = typer.Option(None, "--threshold", help="Users (event, active_users) or events (event_count)."),
    window_days: Optional[int] = typer.Option(None, "--window-days", help="active_users: days the users are counted over."),
    target_days: Optional[int] = typer.Option(None, "--target-days", help="Due this many days after the first payment."),
    position: Optional[int] = typer.Option(None, "--position", help="Order on the pages."),
    active: Optional[bool] = typer.Option(None, "--active/--inactive", help="Inactive milestones are not tracked."),
    remove: bool = typer.Option(False, "--remove", help="Remove the milestone."),
) -> None:
    """Add, change or remove one onboarding milestone; the others stay as they are."""
    from b2bgrowth.success.onboarding_config import Milestone, load_milestones, remove_milestone, upsert_milestone

    ws = state(ctx).workspace()
    try:
        if remove:
            remove_milestone(ws, milestone_id, by="cli")
            console.print(f"milestone {milestone_id!r} removed")
            return
        current = next((m for m in load_milestones(ws, include_inactive=True) if m.milestone_id == milestone_id), None)
        given = {k: v for k, v in (("name", name), ("kind", kind), ("event", event), ("threshold", threshold),
                                   ("window_days", window_days), ("target_days", target_days),
                                   ("position", position), ("active", active)) if v is not None}
        if current is None:
            missing = [o for o, k in (("--name", "name"), ("--kind", "kind"), ("--target-days", "target_days"))
                       if k not in given]
            if missing:
                fail(f"new milestone {milestone_id!r} needs {', '.join(missing)}")
            current = Milestone(milestone_id, given.pop("name"), given.pop("kind"), given.pop("target_days"))
        upsert_milestone(ws, replace(current, **given), by="cli")
    except ValueError as exc:
        fail(str(exc))
    console.print(f"milestone {milestone_id!r} saved")


def register(app: typer.Typer) -> None:
    app.add_typer(tiers_app, name="tiers")
    app.command("stages")(stages)
    app.command("milestones")(milestones)
    app.command("milestone")(milestone)
