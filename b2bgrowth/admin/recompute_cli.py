"""`b2bgrowth recompute`: every derived table and recompute step (b2bgrowth/reporting/derived.py)."""

from __future__ import annotations

from datetime import date

import typer

from b2bgrowth.cli.context import console, fail, state


def recompute(
    ctx: typer.Context,
    as_of: str | None = typer.Option(None, "--as-of", help="Day the figures are wanted for (YYYY-MM-DD; default today)."),
) -> None:
    """Bring every derived table up to date (reports also do this by themselves when stale)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from b2bgrowth.reporting.derived import recompute_all

    try:
        day = date.fromisoformat(as_of) if as_of else date.today()
    except ValueError:
        fail(f"--as-of: {as_of!r} is not a date (use YYYY-MM-DD)")
    ws = state(ctx).workspace()
    with Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("derived tables", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        try:
            timings = recompute_all(ws, as_of=day, progress=progress)
        except ValueError as exc:
            fail(str(exc))
    for name, seconds in timings.items():
        console.print(f"{name}: up to date ({seconds:.2f} s)")
    console.print(f"as of {day.isoformat()}")


def register_cli(app: typer.Typer) -> None:
    app.command("recompute")(recompute)
