"""Reports: one runner class per analysis behind a common interface, found in a registry.

A report declares its parameters as a pydantic model (`Params`) and computes a JSON-able dict
in `execute`. The CLI (`b2bgrowth report NAME`), the API (`GET /api/v1/reports/NAME`) and the
Python API (`Workspace.report`) are all generated from this one declaration, so they cannot
drift apart. A capability lists its reports in its declaration (`Capability.reports`, see
b2bgrowth/contract.py); the assembly layer (b2bgrowth/capabilities.py) adds them here.

A report also declares its result as a pydantic model (`Result`, rows as `ResultModel`s that
forbid undeclared keys). `result_json` cleans what `execute` returns once (reporting/jsonable.py),
validates it against `Result` and serialises it with the model — the same JSON, now checked —
and the API declares `Result` as the report's response schema (GET /api/v1/openapi.json).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import BaseModel, ConfigDict

from b2bgrowth.reporting.jsonable import jsonable

if TYPE_CHECKING:
    from b2bgrowth.workspace import Workspace

_clean: Callable[[Any], Any] = jsonable


class ReportParams(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class ResultModel(BaseModel):
    """Base of report results and their rows: a key the model does not declare is an error."""

    model_config = ConfigDict(extra="forbid")


class UntypedResult(BaseModel):
    """The result of a report that declares none (any JSON object; kept as it is)."""

    model_config = ConfigDict(extra="allow")


class Report:
    name: ClassVar[str]
    title: ClassVar[str] = ""
    Params: ClassVar[type[ReportParams]] = ReportParams
    # The result's pydantic model (usually a ResultModel); it documents the report in the
    # OpenAPI document and checks every result.
    Result: ClassVar[type[BaseModel]] = UntypedResult
    # The columns a terminal shows first when not all fit (`b2bgrowth report NAME`); the
    # JSON, CSV and API always carry every column.
    key_columns: ClassVar[tuple[str, ...]] = ()

    def execute(self, ws: Workspace, params: ReportParams) -> dict[str, Any]:  # pragma: no cover - interface
        raise NotImplementedError


def result_json(report: Report, result: Any) -> dict[str, Any]:
    """`execute`'s result as the API writes it: cleaned once (`jsonable`: NaN → null, dates →
    ISO, numpy → Python), validated against `report.Result` (pydantic.ValidationError when it
    does not fit), then serialised by the model. Keys absent from the result stay absent, so the
    JSON is the cleaned result itself: same keys, same order, same values."""
    model = report.Result.model_validate(_clean(result))
    dumped: dict[str, Any] = model.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return dumped


class UnknownReport(KeyError):
    pass


_REPORTS: dict[str, Report] = {}
_OWNERS: dict[str, str] = {}


def add_report(cls: type[Report], owner: str = "") -> type[Report]:
    """Register a report class (the capability loader does this for every declared report)."""
    if not (isinstance(cls, type) and issubclass(cls, Report)):
        raise TypeError(f"{cls!r} is not a Report subclass")
    if not getattr(cls, "name", ""):
        raise ValueError(f"report class {cls.__name__} has no name")
    if cls.name in _REPORTS and type(_REPORTS[cls.name]) is not cls:
        raise ValueError(f"report {cls.name!r} registered twice ({_OWNERS.get(cls.name) or '?'} and {owner or '?'})")
    _REPORTS[cls.name] = cls()
    _OWNERS[cls.name] = owner
    return cls


class Provider(Protocol):
    """Registers declared things on demand (the assembly layer, capabilities.py, gives one): the
    core calls it and knows no capability."""

    def find(self, name: str) -> None: ...

    def everything(self) -> None: ...


_provider: Provider | None = None


def set_provider(provider: Provider | None) -> None:
    """Who registers reports when one is asked for by name (`find`) or all are listed."""
    global _provider
    _provider = provider


def has_report(name: str) -> bool:
    """Whether report `name` is registered now (no provider is asked)."""
    return name in _REPORTS


def clear_reports() -> None:
    _REPORTS.clear()
    _OWNERS.clear()


def get_report(name: str) -> Report:
    # A report command or API call needs one report: only the capabilities up to the one that
    # declares it are imported (a report module may pull in pandas, scipy, scikit-learn).
    if name not in _REPORTS and _provider is not None:
        _provider.find(name)
    try:
        return _REPORTS[name]
    except KeyError:
        raise UnknownReport(f"unknown report {name!r}; known: {', '.join(sorted(_REPORTS))}") from None


def all_reports() -> dict[str, Report]:
    if _provider is not None:
        _provider.everything()
    return dict(sorted(_REPORTS.items()))


def report_owner(name: str) -> str:
    """The capability that declared report `name`."""
    return _OWNERS.get(name, "")
