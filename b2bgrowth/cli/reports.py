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
from typer.core import TyperGroup

from b2bgrowth.cli.context import console, fail, print_json, state
from b2bgrowth.cli.tables import ColumnChoiceError, print_tables, write_csv

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
    for name, annotation, option in _OUTPUT_OPTIONS:
        parameters.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=option()))

    def command(ctx: typer.Context, **kwargs: Any) -> None:
        from pydantic import ValidationError

        as_json = kwargs.pop("as_json")
        output_format = "json" if as_json else kwargs.pop("output_format")
        kwargs.pop("output_format", None)
        columns, table = kwargs.pop("columns"), kwargs.pop("table")
        if output_format not in ("table", "csv", "json"):
            fail(f"--format must be table, csv or json, not {output_format!r}")
        values = {}
        for name, value in kwargs.items():
            info = fields[name]
            values[info.alias or name] = value
        try:
            params = report.Params.model_validate(values)
        except ValidationError as exc:
            fail(describe_validation_error(exc, fields))
        ws = state(ctx).workspace()
        try:
            result = report.execute(ws, params)
        except ValueError as exc:
            fail(str(exc))
        try:
            if output_format == "json":
                print_json(result)
            elif output_format == "csv":
                write_csv(result, table)
            else:
                print_tables(console, result, report.title or report.name, columns=columns,
                             key_columns=report.key_columns)
        except ColumnChoiceError as exc:
            fail(str(exc))

    command.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    command.__name__ = f"report_{report.name}"
    command.__doc__ = report.title or report.name
    return command


def describe_validation_error(exc: ValidationError, fields: dict[str, Any] | None = None) -> str:
    """A parameter error in the CLI's words: the option's name and what was wrong with the
    value, never pydantic's wording ("Value error, …", "Input should be …")."""
    parts = []
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        where = _option_for(loc[0], fields) if loc else ""
        parts.append(f"{where}: {_plain_message(err)}" if where else _plain_message(err))
    return "; ".join(parts)


def _option_for(name: str, fields: dict[str, Any] | None) -> str:
    info = (fields or {}).get(name)
    if info is None:
        for field_name, candidate in (fields or {}).items():
            if candidate.alias == name:
                return option_name(field_name, candidate.alias)
        return option_name(name, None)
    return option_name(name, info.alias)


def _plain_message(err: Any) -> str:
    kind, ctx, value = err.get("type", ""), err.get("ctx") or {}, err.get("input")
    shown = repr(value) if isinstance(value, str) else str(value)
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    if kind == "missing":
        return "is required"
    if kind in ("int_parsing", "int_from_float", "int_type"):
        return f"expected a whole number, got {shown}"
    if kind in ("float_parsing", "float_type"):
        return f"expected a number, got {shown}"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"expected a date as YYYY-MM-DD, got {shown}"
    if kind in ("bool_parsing", "bool_type"):
        return f"expected true or false, got {shown}"
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected', '')}, got {shown}"
    if kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": "at least", "greater_than": "more than",
                 "less_than_equal": "at most", "less_than": "less than"}[kind]
        limit = ctx.get("ge", ctx.get("gt", ctx.get("le", ctx.get("lt"))))
        return f"must be {bound} {limit}, got {shown}"
    if kind in ("string_too_long", "too_long"):
        return f"is too long (at most {ctx.get('max_length', '?')})"
    if kind in ("string_too_short", "too_short"):
        return f"is too short (at least {ctx.get('min_length', '?')})"
    if kind == "extra_forbidden":
        return "is not a parameter of this report"
    message = str(err.get("msg", "invalid value"))
    return message.removeprefix("Value error, ").removeprefix("Assertion failed, ")


_OUTPUT_OPTIONS: list[tuple[str, Any, Any]] = [
    ("output_format", str, lambda: typer.Option("table", "--format",
                                                help="table (the columns that fit), csv (one table, every column) or json.")),
    ("columns", str | None, lambda: typer.Option(None, "--columns",
                                                 help="Terminal tables: 'all', or a comma list of columns (default: what fits).")),
    ("table", str | None, lambda: typer.Option(None, "--table", help="--format csv: which of the result's tables (default the first).")),
    ("as_json", bool, lambda: typer.Option(False, "--json", help="Print the report as JSON (same as --format json).")),
]


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
