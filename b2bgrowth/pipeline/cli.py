"""`b2bgrowth pipeline stages` / `pipeline stage`: configure the stage list (pipeline/capability.py
declares these commands, the reports and the stage-move API)."""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

import typer

from b2bgrowth.cli.context import console, fail, print_json, state

pipeline_app = typer.Typer(help="Pipeline configuration: stages and their default probabilities.",
                           no_args_is_help=True)


@pipeline_app.command("stages")
def list_stages(ctx: typer.Context, as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """The stage list in order, with default probabilities (the defaults until changed)."""
    from b2bgrowth.pipeline.stages import load_stages

    stages = [asdict(s) for s in load_stages(state(ctx).workspace())]
    if as_json:
        print_json({"stages": stages})
        return
    for s in stages:
        console.print(f"{s['order']:>4}  {s['name']}  p={s['probability']:.2f}{'  (closed)' if s['is_closed'] else ''}")


@pipeline_app.command("stage")
def set_stage(
    ctx: typer.Context,
    name: str = typer.Argument(..., help="Stage name (added when new)."),
    probability: float | None = typer.Option(None, "--probability", help="Default win probability, 0–1."),
    order: int | None = typer.Option(None, "--order", help="Position (open stages step by 10)."),
    closed: bool | None = typer.Option(None, "--closed/--open", help="A closed stage ends the deal."),
    remove: bool = typer.Option(False, "--remove", help="Remove the stage from the list."),
) -> None:
    """Add, change or remove one stage; the other stages stay as they are."""
    from b2bgrowth.pipeline.stages import Stage, load_stages, save_stages

    ws = state(ctx).workspace()
    stages = load_stages(ws)
    current = next((s for s in stages if s.name == name), None)
    if remove:
        if current is None:
            fail(f"no stage named {name!r}")
        stages = [s for s in stages if s.name != name]
    elif current is None:
        if probability is None:
            fail(f"new stage {name!r} needs --probability")
        last_open = max((s.order for s in stages if not s.is_closed), default=0)
        stages.append(Stage(name, order if order is not None else last_open + 10, probability, bool(closed)))
    else:
        changes: dict[str, Any]  # the fields given, of several types
        changes = {k: v for k, v in (("probability", probability), ("order", order), ("is_closed", closed))
                   if v is not None}
        stages = [replace(s, **changes) if s.name == name else s for s in stages]
    try:
        save_stages(ws, stages)
    except ValueError as exc:
        fail(str(exc))
    console.print(f"stage {name!r} {'removed' if remove else 'saved'}")


def register_cli(app: typer.Typer) -> None:
    app.add_typer(pipeline_app, name="pipeline")
