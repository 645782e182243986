"""`b2bgrowth import ENTITY FILE [--skip-invalid]` and `b2bgrowth export ENTITY --output FILE`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from b2bgrowth.cli.context import err_console, fail, state
from b2bgrowth.errors import FileUnreadable, ImportRejected, RowError
from b2bgrowth.interchange.names import ENTITY_NAMES

ENTITY_HELP = "One of: " + ", ".join(ENTITY_NAMES) + "."


def _check_entity(entity: str) -> str:
    if entity not in ENTITY_NAMES:
        fail(f"unknown entity {entity!r}; {ENTITY_HELP}")
    return entity


def _workspace(ctx: typer.Context, create: bool = False):
    ws = state(ctx).workspace(create=create)
    # Release the event store's writer lock and the database pool when the command ends (it
    # matters when commands run in one process, as under CliRunner).
    ctx.call_on_close(ws.close)
    return ws


def _print_errors(errors: list[RowError]) -> None:
    # Plain lines (no Rich markup or wrapping): one per bad row, easy to grep or diff.
    for error in errors:
        typer.echo(str(error), err=True)


def import_command(
    ctx: typer.Context,
    entity: str = typer.Argument(..., help=f"What the file holds. {ENTITY_HELP}"),
    file: Path = typer.Argument(..., help="CSV (UTF-8, UTF-8 with BOM, or GBK) or XLSX."),
    skip_invalid: bool = typer.Option(False, "--skip-invalid", help="Import the good rows and report the bad ones (default: all or nothing)."),
) -> None:
    """Import a file of ENTITY rows (upsert by id; re-importing the same file changes nothing)."""
    from b2bgrowth.interchange.importer import import_file

    _check_entity(entity)
    ws = _workspace(ctx, create=True)
    columns = [TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("{task.fields[speed]}")]
    # The bar only on a terminal: in pipes and logs the summary line (with rows/s) is enough.
    with Progress(*columns, console=err_console, transient=True, disable=not err_console.is_terminal) as bar:
        task = bar.add_task(f"{entity}: reading", total=None, speed="")

        def progress(phase: str, done: int, total: int) -> None:
            elapsed = bar.tasks[0].elapsed or 0
            speed = f"{done / elapsed:,.0f} rows/s" if elapsed > 0 and done else ""
            bar.update(task, description=f"{entity}: {phase}", completed=done, total=total or None, speed=speed)

        try:
            outcome = import_file(ws, entity, file, skip_invalid=skip_invalid, progress=progress)
        except ImportRejected as exc:
            bar.stop()
            _print_errors(exc.errors)
            fail(f"nothing was imported: {len(exc.errors)} problem(s) in {file}")
        except (FileUnreadable, ValueError, OSError, RuntimeError) as exc:
            # RuntimeError: the event store is busy (another process holds its writer lock).
            bar.stop()
            fail(f"nothing was imported: {exc}")
    if outcome.errors:
        _print_errors(outcome.errors)
        typer.echo(f"skipped {outcome.skipped} bad row(s) (--skip-invalid)", err=True)
    typer.echo(
        f"{entity}: {outcome.rows} rows read, {outcome.inserted} inserted, {outcome.updated} updated, "
        f"{outcome.unchanged} unchanged, {outcome.skipped} skipped "
        f"in {outcome.seconds:.2f} s ({outcome.rows_per_second:,.0f} rows/s)"
    )


def export_command(
    ctx: typer.Context,
    entity: str = typer.Argument(..., help=f"What to export. {ENTITY_HELP}"),
    output: Path = typer.Option(..., "--output", "-o", help="File to write: .csv (UTF-8 with BOM) or .xlsx."),
) -> None:
    """Export every ENTITY row in the import format (export → import is lossless)."""
    from b2bgrowth.interchange.exporter import export_file

    _check_entity(entity)
    ws = _workspace(ctx)
    try:
        count = export_file(ws, entity, output)
    except (FileUnreadable, ValueError, OSError, RuntimeError) as exc:
        fail(str(exc))
    typer.echo(f"{entity}: {count} rows written to {output}")


def register_cli(app: typer.Typer) -> None:
    app.command("import")(import_command)
    app.command("export")(export_command)
