"""The web shell's extension point: capabilities add routers, navigation entries, account
panels and account figures here.

A capability declares its routers, nav entries and panels (b2bgrowth/contract.py), or functions
`register_web(web: WebRegistry)` for what it adds at run time; `create_app` gathers them all and
mounts what they registered. Built-in pages use this exactly as a third party would.

An account panel is a card on the account page (the account 360) whose body a capability
serves as an HTML fragment at its own route; the page loads each panel with HTMX after it
renders, so a slow or failing panel never holds up or breaks the others. A cheap panel whose
figures head the page (revenue, NPS) may also give `render`: the page then puts the same
fragment in place while it renders (no second request; if `render` fails, the card falls back
to loading the route).

An account figure is one number per account that another capability's pages show without
importing its owner: `add_account_figure(key, compute)` with `compute(ws, on)` → {account_id:
value} (accounts absent: none). The accounts list orders by and shows "current_mrr", which the
revenue capability registers (capabilities import each other only through their `api` modules,
and accounts, below revenue, does not import it).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter

from b2bgrowth.contract import AccountPanel, NavItem

__all__ = ["AccountPanel", "NavItem", "WebRegistry"]


@dataclass
class WebRegistry:
    routers: list[APIRouter] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    account_panels: list[AccountPanel] = field(default_factory=list)
    account_figures: dict[str, Callable[..., Any]] = field(default_factory=dict)

    def add_account_panel(self, key: str, title: str, path: str, order: int = 100,
                          roles: tuple[str, ...] | None = None, wide: bool = False,
                          render: Callable[..., Any] | None = None) -> None:
        if any(p.key == key for p in self.account_panels):
            raise ValueError(f"an account panel named {key!r} is already registered")
        self.account_panels.append(AccountPanel(key, title, path, order, roles, wide, render))

    def add_account_figure(self, key: str, compute: Callable[..., Any]) -> None:
        if key in self.account_figures:
            raise ValueError(f"an account figure named {key!r} is already registered")
        self.account_figures[key] = compute

    def add_router(self, router: APIRouter) -> None:
        self.routers.append(router)

    def add_nav(self, path: str, label: str, roles: tuple[str, ...] | None = None, order: int = 100) -> None:
        self.nav.append(NavItem(path, label, roles, order))
