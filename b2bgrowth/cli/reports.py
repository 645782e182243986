"""`b2bgrowth report NAME [options] [--json]`, generated from the report registry.

Each report's pydantic Params become command-line options (field `from_` with alias `from`
becomes `--from`), so the CLI cannot drift from the API or the Python API.
"""

from __future__ import annotations

import inspect
import typing
from datetime import date
from typing import TYPE_CHECKING, Any, Literal

import typer
from rich.table import Table
from typer.core import TyperGroup

from b2bgrowth.cli.context import console, fail, print_json, state

if TYPE_CHECKING:
    from pydantic import ValidationError

    from b2bgrowth.reporting.registry import Report


def option_name(field_name: str, alias: str | None) -> str:
    return "--" + (alias or field_name).replace("_", "-")


def _cli_type(annotation: Any) -> tuple[Any, Any]:
    """Map a pydantic annotation to a type Typer understands (+ the choices for Literals)."""
    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)) and len(args) == 1:
        return _cli_type(args[0])
    if origin is Literal:
        return str, tuple(str(a) for a in typing.get_args(annotation))
    if annotation is date:
        return str, None
    if annotation in (int, float, str, bool):
        return annotation, None
    return str, None


def _make_command(report: Report):
    fields = report.Params.model_fields
    parameters = [inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)]
    for name, info in fields.items():
        typ, choices = _cli_type(info.annotation)
        help_text = info.description or ""
        if choices:
            help_text = f"{help_text} One of: {', '.join(choices)}.".strip()
        default = info.default if not info.is_required() else ...
        if isinstance(default, date):
            default = default.isoformat()
        parameters.append(
            inspect.Parameter(
                name,
                inspect.Parameter.KEYWORD_ONLY,
                annotation=typ | None if default is None else typ,
                default=typer.Option(default, option_name(name, info.alias), help=help_text),
            )
        )
    parameters.append(
        inspect.Parameter(
            "as_json", inspect.Parameter.KEYWORD_ONLY, annotation=bool,
            default=typer.Option(False, "--json", help="Print the report as JSON."),
        )
    )

    def command(ctx: typer.Context, **kwargs: Any) -> None:
        from pydantic import ValidationError

        as_json = kwargs.pop("as_json")
        values = {}
        for name, value in kwargs.items():
            info = fields[name]
            values[info.alias or name] = value
        try:
            params = report.Params.model_validate(values)
        except ValidationError as exc:
            fail(describe_validation_error(exc))
        ws = state(ctx).workspace()
        try:
            result = report.execute(ws, params)
        except ValueError as exc:
            fail(str(exc))
        if as_json:
            print_json(result)
        else:
            render_tables(result, report.title or report.name)

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__name__ = f"report_{report.name}"
    command.__doc__ = report.title or report.name
    return command


def describe_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(p) for p in err["loc"]) or "parameters"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def render_tables(result: dict, title: str) -> None:
    """Every list of flat rows in the result becomes a Rich table; scalars a header line."""
    for key, value in result.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            table = Table(title=f"{title}: {key}", show_lines=False)
            columns = [c for c in value[0] if not isinstance(value[0][c], (list, dict))]
            for c in columns:
                table.add_column(c, overflow="fold")
            for row in value:
                table.add_row(*[_fmt(row.get(c)) for c in columns])
            console.print(table)
        elif not isinstance(value, (list, dict)):
            console.print(f"[bold]{key}[/]: {_fmt(value)}")


def _fmt(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:,.4f}".rstrip("0").rstrip(".") if abs(value) < 10 else f"{value:,.2f}"
    return str(value)


class ReportGroup(TyperGroup):
    """`b2bgrowth report`: one command per registered report, made when asked for.

    Listing or running a report imports the report modules (pandas, the capabilities' domain
    code); `b2bgrowth --help` and every other command do not, so they start quickly.
    """

    def list_commands(self, ctx: Any) -> list[str]:
        return list(_reports())

    def get_command(self, ctx: Any, name: str) -> Any:
        from b2bgrowth import capabilities
        from b2bgrowth.reporting.registry import UnknownReport, get_report

        capabilities.install_providers()
        try:
            report = get_report(name)  # imports only the report modules up to this one's
        except UnknownReport:
            return None
        single = typer.Typer(add_completion=False)
        single.command(name=name, help=report.title or name)(_make_command(report))
        return typer.main.get_command(single)


def _reports() -> dict[str, Report]:
    from b2bgrowth import capabilities
    from b2bgrowth.reporting.registry import all_reports

    capabilities.install_reports()
    return all_reports()


def build_report_app() -> typer.Typer:
    """`b2bgrowth report …` (ReportGroup: the commands are made from the registry on demand)."""
    return typer.Typer(cls=ReportGroup, help="Reports; every one prints JSON with --json.", no_args_is_help=True)
