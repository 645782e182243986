"""The capabilities of this installation: the built-ins, listed once here, and third parties'.

A third party adds an entry point in the group `b2bgrowth.plugins` whose value is its
`b2bgrowth.contract.Capability` (e.g. `toy = "toy_package.capability:CAPABILITY"`); built-ins
come through exactly the same declarations. Each part of a declaration is resolved when an
entry point needs it (see contract.py), once per process:

- `install(ws)` (every Workspace): tables, reports, derived tables and recompute steps;
- `register_cli(app)`: the CLI commands; `register_web(web)`: routers, pages, nav, panels;
- `template_dirs()`: the template folders the web app searches.

This module and the Workspace are the assembly layer: they know every capability; the core
(settings, store, events, reporting, i18n, contract) knows none.
"""

from __future__ import annotations

import threading
from importlib.metadata import entry_points
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from b2bgrowth.contract import Capability, CapabilityError, Ref, resolve

if TYPE_CHECKING:
    import typer
    from sqlalchemy import Table

    from b2bgrowth.web.shell import WebRegistry

ENTRY_POINT_GROUP = "b2bgrowth.plugins"

# The built-in capabilities, in the order their commands, pages and panels are added.
BUILTIN: tuple[Ref, ...] = (
    "b2bgrowth.admin.capability:CAPABILITY",
    "b2bgrowth.interchange.capability:CAPABILITY",
    "b2bgrowth.ingestion.capability:CAPABILITY",
    "b2bgrowth.accounts.capability:CAPABILITY",
    "b2bgrowth.revenue.capability:CAPABILITY",
    "b2bgrowth.voc.capability:CAPABILITY",
    "b2bgrowth.experiments.capability:CAPABILITY",
    "b2bgrowth.leads.capability:CAPABILITY",
    "b2bgrowth.channels.capability:CAPABILITY",
    "b2bgrowth.pipeline.capability:CAPABILITY",
    "b2bgrowth.success.capability:CAPABILITY",
    "b2bgrowth.community.capability:CAPABILITY",
    "b2bgrowth.requirements.capability:CAPABILITY",
    "b2bgrowth.web.capability:CAPABILITY",
    "b2bgrowth.demo.capability:CAPABILITY",
)

_lock = threading.RLock()
_declared: tuple[Capability, ...] | None = None


def declared() -> tuple[Capability, ...]:
    """Every capability: the built-ins, then each entry point of the `b2bgrowth.plugins` group."""
    global _declared
    with _lock:
        if _declared is None:
            found: list[Capability] = []
            for ref in BUILTIN:
                capability = resolve(ref)
                found.append(_checked(capability, ref, builtin=True))
            for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
                found.append(_checked(ep.load(), f"entry point {ep.name!r} ({ep.value})", builtin=False))
            names = [c.name for c in found]
            duplicates = sorted({n for n in names if names.count(n) > 1})
            if duplicates:
                raise CapabilityError(f"capabilities declared twice: {', '.join(duplicates)}")
            _declared = tuple(found)
        return _declared


def _checked(value: Any, where: str, *, builtin: bool) -> Capability:
    if not isinstance(value, Capability):
        raise CapabilityError(f"{where} is not a b2bgrowth.contract.Capability (got {type(value).__name__})")
    if builtin != value.builtin:
        # `builtin` only says whether the tables come with our migrations; set it from where
        # the declaration was found, not from what it claims.
        from dataclasses import replace

        return replace(value, builtin=builtin)
    return value


def reset() -> None:
    """Forget the declarations and what was installed (tests that add an entry point)."""
    global _declared
    from b2bgrowth.reporting import derived, registry

    with _lock:
        _declared = None
        _reports.done.clear()
        _derived.done.clear()
        registry.clear_reports()
        derived.clear_registrations()


def get(name: str) -> Capability:
    for capability in declared():
        if capability.name == name:
            return capability
    raise CapabilityError(f"unknown capability {name!r}; known: {', '.join(c.name for c in declared())}")


# -- what every Workspace needs -------------------------------------------------------------

def load_models() -> list[Table]:
    """Import every capability's models (so `Base.metadata` holds the whole schema); returns the
    tables of capabilities that are not built in (their tables have no migrations of ours)."""
    from b2bgrowth.store.base import Base

    with _lock:
        external_modules: set[str] = set()
        for capability in declared():
            for ref in capability.models:
                resolve(ref)
                if not capability.builtin:
                    external_modules.add(ref.partition(":")[0])
        # A table belongs to the capability whose models module maps it (any import order).
        # (A table no longer in the metadata belongs to a class of a module since reloaded.)
        # (Declarative classes map Tables; SQLAlchemy types local_table as any FromClause.)
        tables = {cast("Table", mapper.local_table) for mapper in Base.registry.mappers
                  if mapper.class_.__module__ in external_modules}
        return sorted((t for t in tables if Base.metadata.tables.get(t.key) is t), key=lambda t: t.name)


class _OnDemand:
    """Registers one part of the declarations ("reports" or "derived") capability by capability,
    in declaration order, only as far as needed: `find(name)` stops at the capability that
    declares `name`; `everything()` goes to the end. So `b2bgrowth report revenue` imports the
    report modules up to revenue's, not success's scikit-learn."""

    def __init__(self, part: str) -> None:
        self.part = part
        self.done: set[str] = set()

    def _install(self, capability: Capability) -> None:
        if self.part == "reports":
            from b2bgrowth.reporting.registry import add_report

            for ref in capability.reports:
                add_report(resolve(ref), owner=capability.name)
        else:
            from b2bgrowth.reporting.derived import add_derived, add_step

            for ref in capability.derived_tables:
                add_derived(resolve(ref))
            for ref in capability.recompute_steps:
                add_step(resolve(ref))
        self.done.add(capability.name)

    def _known(self, name: str) -> bool:
        if self.part == "reports":
            from b2bgrowth.reporting.registry import has_report

            return has_report(name)
        from b2bgrowth.reporting.derived import has_table

        return has_table(name)

    def find(self, name: str) -> None:
        with _lock:
            for capability in declared():
                if self._known(name):
                    return
                if capability.name not in self.done:
                    self._install(capability)

    def everything(self) -> None:
        with _lock:
            if len(self.done) == len(declared()):
                return
            for capability in declared():
                if capability.name not in self.done:
                    self._install(capability)


_reports = _OnDemand("reports")
_derived = _OnDemand("derived")


def install_reports() -> None:
    """Every capability's reports in the report registry (once per process); `install` lets the
    registry ask for them one by one instead."""
    install_providers()
    _reports.everything()


def install_derived() -> None:
    """Every capability's derived tables and recompute steps in the derived registry."""
    install_providers()
    _derived.everything()


def install_providers() -> None:
    """Let the report and derived registries register declarations when asked for them."""
    from b2bgrowth.reporting import derived, registry

    registry.set_provider(_reports)
    derived.set_provider(_derived)


def install() -> list[Table]:
    """What a Workspace needs: every table now; reports, derived tables and steps on demand."""
    external = load_models()
    install_providers()
    return external


# -- the entry points -----------------------------------------------------------------------

def register_cli(app: typer.Typer) -> None:
    for capability in declared():
        for ref in capability.cli:
            resolve(ref)(app)


def register_web(web: WebRegistry) -> None:
    for capability in declared():
        for ref in capability.api:
            web.add_router(resolve(ref))
        for ref in capability.pages:
            resolve(ref)(web)
        for item in capability.nav:
            web.nav.append(item)
        for panel in capability.account_panels:
            web.add_account_panel(panel.key, panel.title, panel.path, panel.order, panel.roles, panel.wide,
                                  panel.render)


def template_dirs() -> list[Path]:
    """Each capability's template folder, in declaration order."""
    import importlib

    folders = []
    for capability in declared():
        if capability.templates:
            package = importlib.import_module(capability.package)
            if package.__file__ is None:  # a namespace package: no folder to find templates from
                raise CapabilityError(f"capability {capability.name!r}: package {capability.package!r} "
                                      "has no __init__.py, so its template folder cannot be found")
            base = Path(package.__file__).resolve().parent
            folder = base / capability.templates
            if not folder.is_dir():
                raise CapabilityError(f"capability {capability.name!r}: no template folder {folder}")
            folders.append(folder)
    return folders


def settings_class(name: str) -> Any | None:
    capability = get(name)
    return resolve(capability.settings) if capability.settings else None
