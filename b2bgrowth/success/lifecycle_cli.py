"""`b2bgrowth success stages`, `success milestones` / `success milestone` (issue 4, T).

Listed in b2bgrowth/success/cli.py COMMAND_MODULES; `register(app)` adds the commands, and
the tier rules' `success tiers …` group (b2bgrowth/success/tiers_cli.py; the rule itself is
accounts', b2bgrowth/accounts/tiers.py).
"""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import date, datetime
from typing import Any

import typer

from b2bgrowth.cli.context import console, fail, print_json, state
from b2bgrowth.success import tiers_cli


def stages(
    ctx: typer.Context,
    as_of: datetime | None = typer.Option(None, "--as-of", formats=["%Y-%m-%d"], help="Day (default today)."),
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
    name: str | None = typer.Option(None, "--name", help="Name shown on the pages."),
    kind: str | None = typer.Option(None, "--kind", help="event | event_count | active_users."),
    event: str | None = typer.Option(None, "--event", help="Event name ('' = any event, active_users only)."),
    threshold: int | None = typer.Option(None, "--threshold", help="Users (event, active_users) or events (event_count)."),
    window_days: int | None = typer.Option(None, "--window-days", help="active_users: days the users are counted over."),
    target_days: int | None = typer.Option(None, "--target-days", help="Due this many days after the first payment."),
    position: int | None = typer.Option(None, "--position", help="Order on the pages."),
    active: bool | None = typer.Option(None, "--active/--inactive", help="Inactive milestones are not tracked."),
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
        given: dict[str, Any]  # the options given, of several types
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
    tiers_cli.register(app)
    app.command("stages")(stages)
    app.command("milestones")(milestones)
    app.command("milestone")(milestone)
