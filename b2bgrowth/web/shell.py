"""The web shell's extension point: capabilities add routers, navigation entries and account
panels here.

Every plugin module may define `register_web(web: WebRegistry)`; `create_app` calls each one
and mounts what they registered. Built-in pages use this exactly as a third party would.

An account panel is a card on the account page (the account 360) whose body a capability
serves as an HTML fragment at its own route; the page loads each panel with HTMX after it
renders, so a slow or failing panel never holds up or breaks the others. A cheap panel whose
figures head the page (revenue, NPS) may also give `render`: the page then puts the same
fragment in place while it renders (no second request; if `render` fails, the card falls back
to loading the route).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from fastapi import APIRouter


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # an English msgid; translated by the shell
    roles: tuple[str, ...] | None = None  # None = every signed-in role
    order: int = 100


@dataclass(frozen=True)
class AccountPanel:
    key: str  # unique; the card's id is "panel-<key>"
    title: str  # an English msgid; translated by the page
    path: str  # the fragment's route with "{account_id}", e.g. "/success/accounts/{account_id}/health"
    order: int = 100
    roles: tuple[str, ...] | None = None  # None = every signed-in role
    wide: bool = False  # spans the page's full width
    # render(request, ws, user, account_id) -> the fragment's HTMLResponse, rendered in place
    render: Callable[..., Any] | None = None

    def url(self, account_id: str) -> str:
        from urllib.parse import quote

        return self.path.format(account_id=quote(account_id, safe=""))

    def visible_to(self, role: str) -> bool:
        return self.roles is None or role in self.roles


@dataclass
class WebRegistry:
    routers: list[APIRouter] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)
    account_panels: list[AccountPanel] = field(default_factory=list)

    def add_account_panel(self, key: str, title: str, path: str, order: int = 100,
                          roles: tuple[str, ...] | None = None, wide: bool = False,
                          render: Callable[..., Any] | None = None) -> None:
        if any(p.key == key for p in self.account_panels):
            raise ValueError(f"an account panel named {key!r} is already registered")
        self.account_panels.append(AccountPanel(key, title, path, order, roles, wide, render))

    def add_router(self, router: APIRouter) -> None:
        self.routers.append(router)

    def add_nav(self, path: str, label: str, roles: tuple[str, ...] | None = None, order: int = 100) -> None:
        self.nav.append(NavItem(path, label, roles, order))
