"""The web shell's extension point: capabilities add routers and navigation entries here.

Every plugin module may define `register_web(web: WebRegistry)`; `create_app` calls each one
and mounts what they registered. Built-in pages use this exactly as a third party would.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter


@dataclass(frozen=True)
class NavItem:
    path: str
    label: str  # an English msgid; translated by the shell
    roles: tuple[str, ...] | None = None  # None = every signed-in role
    order: int = 100


@dataclass
class WebRegistry:
    routers: list[APIRouter] = field(default_factory=list)
    nav: list[NavItem] = field(default_factory=list)

    def add_router(self, router: APIRouter) -> None:
        self.routers.append(router)

    def add_nav(self, path: str, label: str, roles: tuple[str, ...] | None = None, order: int = 100) -> None:
        self.nav.append(NavItem(path, label, roles, order))
