"""The `b2bgrowth success …` command group (declared in success/capability.py).

Each part of the capability (usage, lifecycle, health, risk, playbooks) keeps its commands in
its own module with a `register(app: typer.Typer)` function; list the module below (one line
each) and its commands appear under `b2bgrowth success`.
"""

from __future__ import annotations

import importlib

import typer

# Modules whose `register(app)` adds sub-commands to `b2bgrowth success`.
COMMAND_MODULES: tuple[str, ...] = (
    "b2bgrowth.success.lifecycle_cli",  # tiers show/set/reset/apply, stages, milestones, milestone
    "b2bgrowth.success.scorecards.cli",  # health: scorecard list/show/set
    "b2bgrowth.success.playbooks.cli",  # playbooks run/rules/rule, task done/snooze/comment/assign
    "b2bgrowth.success.usage_reports",  # usage-rollup
)

def register_cli(app: typer.Typer) -> None:
    # A fresh group per CLI app: build_app() runs once per command line, but tests build many
    # apps in one process, and registering into one shared group would pile up copies.
    success_app = typer.Typer(help="Customer success: usage, tiers and lifecycle, health, churn risk, renewals, "
                                   "playbooks.", no_args_is_help=True)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(success_app)
    app.add_typer(success_app, name="success")
