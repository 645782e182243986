"""`b2bgrowth demo`: generate the demo company into a fresh store, compute, create an admin, serve."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from b2bgrowth.cli.context import console, fail, state

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


def _store_has_data(ws: Workspace) -> bool:
    from sqlalchemy import func, select

    from b2bgrowth.accounts.models import Account
    from b2bgrowth.auth.models import User
    from b2bgrowth.revenue.models import Subscription

    with ws.store.read() as session:
        for model in (Account, Subscription, User):
            if session.execute(select(func.count()).select_from(model)).scalar_one():
                return True
    events_dir = ws.settings.events_dir
    return events_dir.exists() and any(events_dir.iterdir())


def _fresh_workspace(settings, force: bool):
    """A Workspace on an empty store; an earlier demo store is replaced, anything else needs --force."""
    from b2bgrowth.workspace import Workspace

    ws = Workspace(settings)
    from b2bgrowth.settings import DEMO_MARKER as MARKER

    marker = settings.data_dir / MARKER
    if not _store_has_data(ws):
        return ws
    if not marker.exists() and not force:
        ws.close()
        fail(f"the store in {settings.data_dir} (or at --database-url) holds data that `demo` did not create; "
             "use another --data-dir, or --force to replace it")
    ws.close()
    ws.store.drop_all()
    for folder in (settings.events_dir, settings.derived_dir):
        shutil.rmtree(folder, ignore_errors=True)
    marker.unlink(missing_ok=True)
    return Workspace(settings)


def _generate(ws: Workspace, size: str, seed: int):
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from b2bgrowth.demo.generator import DemoError, generate_company

    columns = (TextColumn("{task.description:<28}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as bar:
        task = bar.add_task(f"demo company {size}", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label, completed=done, total=total)

        try:
            return generate_company(ws, size=size, seed=seed, progress=progress)
        except DemoError as exc:
            fail(str(exc))


def _recompute(ws: Workspace) -> None:
    try:
        from b2bgrowth.reporting.derived import recompute_all
    except ImportError:
        console.print("[yellow]recompute not available yet; reports will compute on first use[/]")
        return
    with console.status("computing revenue, retention and NPS …"):
        recompute_all(ws)


def demo(
    ctx: typer.Context,
    size: str = typer.Option("S", "--size", help="S = 500 accounts, M = 10,000, L = 100,000 (XS = 50 for tests)."),
    seed: int = typer.Option(42, "--seed", help="Same seed, same company."),
    no_serve: bool = typer.Option(False, "--no-serve", help="Generate and compute, then exit."),
    host: str = typer.Option("127.0.0.1", "--host"),
    port: int = typer.Option(8000, "--port"),
    force: bool = typer.Option(False, "--force", help="Replace a store that `demo` did not create."),
) -> None:
    """Generate the demo company (deterministic by seed), compute everything, create an admin and serve."""
    from b2bgrowth.auth import service
    from b2bgrowth.demo.generator import SIZES

    size = size.upper()
    if size not in SIZES:
        fail(f"--size: unknown size {size!r}; one of {', '.join(SIZES)}")
    from b2bgrowth.settings import DEMO_MARKER as MARKER

    began = time.perf_counter()
    settings = state(ctx).settings(demo_mode=True)
    settings.require_secret_key()
    ws = _fresh_workspace(settings, force)
    summary = _generate(ws, size, seed)
    _recompute(ws)
    password = service.generate_password()
    service.create_user(ws, "admin", "admin", password, display_name="Admin")
    Path(settings.data_dir, MARKER).write_text(json.dumps({"size": size, "seed": seed, "counts": summary.counts},
                                                          ensure_ascii=False, indent=2))
    counts = summary.counts
    console.print(
        f"demo company {size} (seed {seed}): {counts['accounts']:,} accounts, {counts['subscriptions']:,} subscription rows, "
        f"{counts['events']:,} events, {counts['nps_responses']:,} NPS responses — ready in {time.perf_counter() - began:.1f} s"
    )
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else host
    console.print(f"\n  URL:      [bold]http://{shown_host}:{port}[/]\n  login:    [bold]admin[/]\n  password: [bold]{password}[/]\n",
                  highlight=False)
    if no_serve:
        ws.close()
        return
    from b2bgrowth.web.server import serve

    serve(ws, host=host, port=port)


def register_cli(app: typer.Typer) -> None:
    app.command("demo")(demo)
