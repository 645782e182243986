"""`b2bgrowth success usage-rollup` (light at import: the rollups load when the command runs)."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("usage-rollup")
    def usage_rollup(
        ctx: typer.Context,
        engine: str = typer.Option("duckdb", "--engine", help="duckdb (default) or spark (pyspark, local mode)."),
        full: bool = typer.Option(False, "--full", help="Recompute every day, not only changed ones."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON."),
    ) -> None:
        """Bring the per-day usage rollups up to date (only days whose event files changed)."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from b2bgrowth.cli.context import err_console, fail, print_json, state
        from b2bgrowth.success.usage.rollups import update_rollups

        if engine not in ("duckdb", "spark"):
            fail(f"--engine must be duckdb or spark, not {engine!r}")
        ws = state(ctx).workspace()
        columns = [TextColumn("usage rollups ({task.fields[engine]})"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn()]
        with Progress(*columns, console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
            task = bar.add_task("rollup", total=None, engine=engine)
            try:
                result = update_rollups(ws, engine=engine, full=full,
                                        progress=lambda done, total: bar.update(task, completed=done, total=total))
            except RuntimeError as exc:  # pyspark missing, event store busy
                bar.stop()
                fail(str(exc))
        summary = result.as_dict()
        if as_json:
            print_json(summary)
        else:
            typer.echo(f"{summary['days_recomputed']} day(s) recomputed, {summary['days_unchanged']} unchanged, "
                       f"{summary['days_removed']} removed ({engine})")
