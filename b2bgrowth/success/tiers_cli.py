"""`b2bgrowth success tiers show/set/reset/apply`: the tier rules (accounts/tiers.py) from the CLI;
applying them with today's ARR is success/tiering.py.

`register(app)` adds the `tiers` group to the app it is given. The commands keep their
documented path under `b2bgrowth success`: b2bgrowth/success/lifecycle_cli.py registers them
there, next to the lifecycle commands.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import TYPE_CHECKING, Any

import typer

from b2bgrowth.cli.context import console, fail, print_json, state

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

tiers_app = typer.Typer(help="Tier rules (KA / CA / SMB; partners apart): show, set, apply.", no_args_is_help=True)


def _threshold(text: str | None, option: str) -> tuple[bool, float | None]:
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


def _tier_counts(ws: Workspace) -> dict[str, int]:
    from sqlalchemy import func, select

    from b2bgrowth.accounts.models import Account

    with ws.store.read() as session:
        return {t or "": n for t, n in session.execute(select(Account.tier, func.count()).group_by(Account.tier))}


@tiers_app.command("show")
def tiers_show(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The tier rules in force (the documented defaults until changed) and accounts per tier."""
    from b2bgrowth.accounts.api import DEFAULT_RULES, load_rules

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
    min_arr: str | None = typer.Option(None, "--min-arr", help="ARR threshold (reporting currency); 'none' clears."),
    min_employees: str | None = typer.Option(None, "--min-employees", help="Employees threshold; 'none' clears."),
    min_annual_revenue: str | None = typer.Option(None, "--min-annual-revenue",
                                                     help="Annual revenue threshold; 'none' clears."),
) -> None:
    """Change one tier's thresholds (the others stay) and re-tier every account."""
    from b2bgrowth.accounts.api import RULE_TIERS, load_rules
    from b2bgrowth.success.tiering import save_rules

    tier = tier.upper()
    if tier not in RULE_TIERS:
        fail(f"tier: one of {', '.join(RULE_TIERS)}, got {tier!r} (SMB is the fallback, partners are apart)")
    ws = state(ctx).workspace()
    changes: dict[str, Any] = {}
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
    from b2bgrowth.success.tiering import reset_rules

    changed = reset_rules(state(ctx).workspace())
    console.print(f"tier rules reset to the defaults; {changed} account(s) changed tier")


@tiers_app.command("apply")
def tiers_apply(ctx: typer.Context) -> None:
    """Re-tier every account now (ARR moves with time; `recompute` does this too)."""
    from b2bgrowth.success.tiering import apply_tiers

    console.print(f"{apply_tiers(state(ctx).workspace())} account(s) changed tier")


def register(app: typer.Typer) -> None:
    app.add_typer(tiers_app, name="tiers")
