"""The `b2bgrowth` command. Global options here; commands come from the capabilities
(b2bgrowth/capabilities.py), reports from the report registry."""

from __future__ import annotations

from pathlib import Path

import typer

from b2bgrowth import capabilities
from b2bgrowth.cli.context import CliState

app = typer.Typer(
    name="b2bgrowth",
    help="Customer growth for B2B companies: accounts, leads, revenue, retention, NPS, community, experiments.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    # Plain help: rich formatting would cost `b2bgrowth --help` about 0.15 s of its 0.3 s budget.
    rich_markup_mode=None,
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    data_dir: Path | None = typer.Option(
        None, "--data-dir", envvar="B2BGROWTH_DATA_DIR", help="Data directory (default ./b2bgrowth-data)."
    ),
    database_url: str | None = typer.Option(
        None, "--database-url", envvar="B2BGROWTH_DATABASE_URL", help="SQLAlchemy URL of the store (default SQLite in the data directory)."
    ),
) -> None:
    ctx.obj = CliState(data_dir=data_dir, database_url=database_url, open_workspace=_open_workspace)
    # One place closes what a command opened (flushes the event buffer, frees the writer lock).
    ctx.call_on_close(ctx.obj.close)


def _open_workspace(settings):
    from b2bgrowth.workspace import Workspace

    return Workspace(settings)


_commands_registered = False


def build_app() -> typer.Typer:
    """The CLI with every capability's commands and one command per report. Commands are added
    once per process: tests build the app for every CliRunner call, and adding them again would
    pile copies of each group onto the one root app (each build then slower than the last)."""
    global _commands_registered
    if not _commands_registered:
        from b2bgrowth.cli.reports import build_report_app

        app.add_typer(build_report_app(), name="report")
        capabilities.register_cli(app)
        _commands_registered = True
    return app


def reset_app() -> None:
    """Forget the commands (tests that add a capability, after `capabilities.reset()`)."""
    global _commands_registered
    app.registered_groups.clear()
    app.registered_commands.clear()
    _commands_registered = False


def main() -> None:
    """Run the CLI. Anything unexpected is reported in one line, not a traceback (set
    B2BGROWTH_DEBUG=1 to see the traceback when reporting a bug)."""
    import os
    import sys

    try:
        build_app()(standalone_mode=True)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        raise SystemExit(130) from None
    except Exception as exc:  # noqa: BLE001 - the last line of defence for people, not code
        if os.environ.get("B2BGROWTH_DEBUG"):
            raise
        sys.stderr.write(f"error: unexpected {type(exc).__name__}: {exc}\n"
                         "(set B2BGROWTH_DEBUG=1 for the traceback, and please report it)\n")
        raise SystemExit(2) from None
