"""Reports: one runner class per analysis behind a common interface, found in a registry.

A report declares its parameters as a pydantic model (`Params`) and computes a JSON-able dict
in `execute`. The CLI (`b2bgrowth report NAME`), the API (`GET /api/v1/reports/NAME`) and the
Python API (`Workspace.report`) are all generated from this one declaration, so they cannot
drift apart. Capabilities (and third-party plugins) add reports with `@register_report`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace


class ReportParams(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Report:
    name: ClassVar[str]
    title: ClassVar[str] = ""
    Params: ClassVar[type[ReportParams]] = ReportParams

    def execute(self, ws: "Workspace", params: ReportParams) -> dict:  # pragma: no cover - interface
        raise NotImplementedError


class UnknownReport(KeyError):
    pass


_REPORTS: dict[str, Report] = {}


def register_report(cls: type[Report]) -> type[Report]:
    if cls.name in _REPORTS and type(_REPORTS[cls.name]) is not cls:
        raise ValueError(f"report {cls.name!r} registered twice")
    _REPORTS[cls.name] = cls()
    return cls


def get_report(name: str) -> Report:
    from b2bgrowth.plugins import load_plugins

    load_plugins()
    try:
        return _REPORTS[name]
    except KeyError:
        raise UnknownReport(f"unknown report {name!r}; known: {', '.join(sorted(_REPORTS))}") from None


def all_reports() -> dict[str, Report]:
    from b2bgrowth.plugins import load_plugins

    load_plugins()
    return dict(sorted(_REPORTS.items()))
