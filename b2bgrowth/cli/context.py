"""Per-invocation CLI state: the global options and a lazily opened Workspace."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import typer
from rich.console import Console

if TYPE_CHECKING:
    from b2bgrowth.settings import Settings

console = Console()
err_console = Console(stderr=True)


@dataclass
class CliState:
    data_dir: Path | None = None
    database_url: str | None = None
    # How to open a Workspace from Settings: given by the assembly (cli/main.py), so this
    # toolkit, which capabilities' commands import, never imports the Workspace itself.
    open_workspace: Callable[[Settings], Any] | None = field(default=None, repr=False)
    _workspace: Any = field(default=None, repr=False)

    def settings(self, **extra: Any) -> Settings:
        overrides: dict[str, Any] = dict(extra)
        if self.data_dir is not None:
            overrides["data_dir"] = self.data_dir
        if self.database_url:
            overrides["database_url"] = self.database_url
        # Here, not at import: pydantic-settings is most of what `b2bgrowth --help` would load.
        from b2bgrowth.settings import Settings

        return Settings(**overrides)

    def workspace(self, *, create: bool = False, **extra: Any):
        """The Workspace of --data-dir / --database-url. A command that starts a store (import,
        `user add`) passes create=True; every other command fails, creating nothing, when no
        store is there — run from the wrong folder, it would otherwise report an empty store."""
        if self._workspace is None:
            from b2bgrowth.settings import SettingsError
            from b2bgrowth.store.database import missing_store

            if self.open_workspace is None:
                raise RuntimeError("CliState.open_workspace is not set (cli/main.py sets it)")
            try:
                settings = self.settings(**extra)
                if not create and (why := missing_store(settings)):
                    fail(f"{why}. Run from the folder that holds b2bgrowth-data, or pass --data-dir "
                         "(or B2BGROWTH_DATA_DIR / --database-url). A new store is started by "
                         "`b2bgrowth import …`, `b2bgrowth user add …` or `b2bgrowth demo`.")
                self._workspace = self.open_workspace(settings)
            except SettingsError as exc:
                fail(str(exc))
        return self._workspace

    def close(self) -> None:
        if self._workspace is not None:
            self._workspace.close()
            self._workspace = None


def state(ctx: typer.Context) -> CliState:
    root = ctx.find_root()
    if root.obj is None:
        raise RuntimeError("no CLI state: commands run under the b2bgrowth app (cli/main.py)")
    return root.obj


def fail(message: str, code: int = 1) -> NoReturn:
    err_console.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n")
