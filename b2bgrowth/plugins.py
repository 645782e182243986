"""Extension points. Built-in capabilities plug in exactly as a third party would.

A plugin is a module that may define any of:
  - `register_cli(app: typer.Typer)`  — add commands to `b2bgrowth`
  - `register_web(web: b2bgrowth.web.shell.WebRegistry)` — add routers, pages and nav entries
and registers its reports with `@register_report` when imported.
Third parties declare an entry point in the group `b2bgrowth.plugins` (loaded everywhere).
"""

from __future__ import annotations

import importlib
from importlib.metadata import entry_points
from types import ModuleType

BUILTIN_PLUGINS = (
    "b2bgrowth.auth.plugin",
    "b2bgrowth.interchange.plugin",
    "b2bgrowth.events.plugin",
    "b2bgrowth.accounts.plugin",
    "b2bgrowth.revenue.plugin",
    "b2bgrowth.voc.plugin",
    "b2bgrowth.voc.surveys.plugin",
    "b2bgrowth.reporting.plugin",
    "b2bgrowth.experiments.plugin",
    "b2bgrowth.leads.plugin",
    "b2bgrowth.leads.scoring_plugin",
    "b2bgrowth.channels.plugin",
    "b2bgrowth.pipeline.plugin",
    "b2bgrowth.success.plugin",
    "b2bgrowth.web.plugin",
    "b2bgrowth.demo.plugin",
)

# Modules that only add pages. They import the web stack (FastAPI, templates), which a CLI
# command does not need; keeping them apart keeps `b2bgrowth report …` quick to start.
# Reports must therefore never be registered in a web-only module.
BUILTIN_WEB_PLUGINS = (
    "b2bgrowth.success.web_lifecycle",
    "b2bgrowth.voc.web",
    "b2bgrowth.voc.web_surveys",
    "b2bgrowth.revenue.web",
    "b2bgrowth.experiments.web",
    "b2bgrowth.leads.web",
    "b2bgrowth.pipeline.web",
    "b2bgrowth.channels.web",
    "b2bgrowth.success.web_renewals",
    "b2bgrowth.success.web_health",
    "b2bgrowth.success.web_tasks",
    "b2bgrowth.success.web_account360",
    "b2bgrowth.success.web_filters",
    "b2bgrowth.leads.web_filters",
)

_loaded: list[ModuleType] | None = None
_loaded_web: list[ModuleType] | None = None


def load_plugins(include_web: bool = False) -> list[ModuleType]:
    """The plugin modules; with include_web, also the page-only ones (the web app asks)."""
    global _loaded, _loaded_web
    if _loaded is None:
        modules = [importlib.import_module(name) for name in BUILTIN_PLUGINS]
        for ep in entry_points(group="b2bgrowth.plugins"):
            modules.append(ep.load())
        _loaded = modules
    if not include_web:
        return _loaded
    if _loaded_web is None:
        _loaded_web = [importlib.import_module(name) for name in BUILTIN_WEB_PLUGINS]
    return _loaded + _loaded_web
