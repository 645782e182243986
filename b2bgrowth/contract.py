"""The capability contract: one typed declaration per capability, built-ins and third parties alike.

A capability (accounts, leads, revenue, success … or a third party's package) declares what it
adds in ONE `Capability` value, usually `CAPABILITY` in its `capability.py`:

    CAPABILITY = Capability(
        name="revenue",
        models=("b2bgrowth.revenue.models",),
        reports=("b2bgrowth.revenue.reports:RevenueReport", …),
        derived_tables=("b2bgrowth.revenue.derived:MOVEMENTS",),
        cli=("b2bgrowth.revenue.cli:register",),
        pages=("b2bgrowth.revenue.web:register_web",),
        templates="templates",
    )

Built-ins are listed once in `b2bgrowth/capabilities.py`; a third party adds an entry point in
the group `b2bgrowth.plugins` whose value is its `Capability` — nothing else is edited, and
nothing registers itself by being imported.

Everything that costs an import is a *reference*, "package.module:attribute" (or a module name
for `models`), resolved only when that part is needed: `b2bgrowth --help` resolves the CLI
parts, a report command the reports, the web app the pages. So declaring a capability is free.

This module is part of the core: it imports no capability, no web and no CLI code.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

# "package.module:attribute" (an object in a module) or "package.module" (a module).
Ref = str


def resolve(ref: Ref) -> Any:
    """The object a reference names (importing its module)."""
    module_name, _, attribute = ref.partition(":")
    module = importlib.import_module(module_name)
    if not attribute:
        return module
    try:
        target: Any = module
        for part in attribute.split("."):
            target = getattr(target, part)
    except AttributeError:
        raise CapabilityError(f"{ref!r}: module {module_name!r} has no {attribute!r}") from None
    return target


class CapabilityError(ValueError):
    """A declaration that cannot be honoured (a duplicate name, a reference to nothing …)."""


@dataclass(frozen=True)
class NavItem:
    """An entry of the web app's sidebar."""

    path: str
    label: str  # an English msgid; translated by the shell
    roles: tuple[str, ...] | None = None  # None = every signed-in role
    order: int = 100


@dataclass(frozen=True)
class AccountPanel:
    """A card on the account page (the account 360) whose body the capability serves as an HTML
    fragment at its own route; the page loads each panel with HTMX after it renders, so a slow
    or failing panel never holds up or breaks the others."""

    key: str  # unique; the card's id is "panel-<key>"
    title: str  # an English msgid; translated by the page
    path: str  # the fragment's route with "{account_id}", e.g. "/success/accounts/{account_id}/health"
    order: int = 100
    roles: tuple[str, ...] | None = None  # None = every signed-in role
    wide: bool = False  # spans the page's full width
    # render(request, ws, user, account_id) -> the fragment's HTMLResponse, put in place while the
    # page renders (cheap panels whose figures head the page); None = loaded from `path` after.
    render: Callable[..., Any] | None = None

    def url(self, account_id: str) -> str:
        return self.path.format(account_id=quote(account_id, safe=""))

    def visible_to(self, role: str) -> bool:
        return self.roles is None or role in self.roles


@dataclass(frozen=True)
class RecomputeStep:
    """An action on the data that runs at the end of `b2bgrowth recompute`, after every derived
    table is fresh (e.g. nurture leads whose engagement crossed the threshold go back to MQL).

    `run(ws, as_of)` returns something JSON-able. Steps run in ascending `order`, then name.
    """

    name: str
    run: Callable[..., Any]
    order: int = 100


@dataclass(frozen=True)
class Capability:
    """Everything one capability adds to b2bgrowth. Every field but `name` is optional.

    - `models`: modules defining the capability's SQLAlchemy tables (on `store.base.Base`).
      Built-in tables come with Alembic migrations (store/migrations); a third party's tables
      are created when missing (`Store.create_missing`).
    - `reports`: `Report` subclasses; each gives `b2bgrowth report NAME`, `GET
      /api/v1/reports/NAME` and `Workspace.report(NAME)`.
    - `derived_tables`: `DerivedTable` values (cached, recomputed when their inputs move).
    - `recompute_steps`: `RecomputeStep` values run by `b2bgrowth recompute`.
    - `cli`: functions `register(app: typer.Typer)` adding commands or one command group.
    - `api`: FastAPI `APIRouter`s (JSON API; they appear in the OpenAPI document).
    - `pages`: functions `register_web(web: WebRegistry)` adding page routers, nav entries and
      account panels at run time (for what cannot be declared as data).
    - `nav`, `account_panels`: sidebar entries and account-360 cards, as data.
    - `templates`: the capability's template folder, relative to the package that declares the
      capability (`package`); searched after the shell's own templates.
    - `settings`: a pydantic-settings class of the capability's own settings
      (`Workspace.capability_settings(name)`).
    """

    name: str
    title: str = ""
    package: str = ""  # the Python package the capability lives in (for `templates`)
    models: tuple[Ref, ...] = ()
    reports: tuple[Ref, ...] = ()
    derived_tables: tuple[Ref, ...] = ()
    recompute_steps: tuple[Ref, ...] = ()
    cli: tuple[Ref, ...] = ()
    api: tuple[Ref, ...] = ()
    pages: tuple[Ref, ...] = ()
    nav: tuple[NavItem, ...] = ()
    account_panels: tuple[AccountPanel, ...] = ()
    templates: str | None = None
    settings: Ref | None = None
    builtin: bool = field(default=False, compare=False)

    def __post_init__(self) -> None:
        if not self.name or not self.name.replace("_", "").replace("-", "").isalnum():
            raise CapabilityError(f"capability name {self.name!r}: letters, digits, '-' and '_' only")
        for label, refs in (("models", self.models), ("reports", self.reports),
                            ("derived_tables", self.derived_tables), ("recompute_steps", self.recompute_steps),
                            ("cli", self.cli), ("api", self.api), ("pages", self.pages)):
            if isinstance(refs, str):
                raise CapabilityError(
                    f"capability {self.name!r}: {label} must be a tuple of references, not one string")
        if self.templates and not self.package:
            raise CapabilityError(f"capability {self.name!r}: templates need `package` to be found")
