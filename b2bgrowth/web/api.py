"""The report API: every registered report at GET /api/v1/reports/NAME, one route per report.

Query parameters go through the report's own pydantic `Params` (the same model the CLI and
Python API use), so `?period=month&from=2024-01-01&to=2024-12-31&segment=region` here equals
`b2bgrowth report revenue --period month --from … --segment region --json`.
Errors: unknown report 404; bad parameters 422 naming each one; ValueError from the report 400.

The routes are generated from the report registry when the web app takes `router` (a fresh one
per app, so a Workspace's reports are all there): each declares its Params as query parameters
and its `Result` model as the response, so the OpenAPI document (/api/v1/openapi.json) has every
report's schema. The answer is `registry.result_json`: the report's dict cleaned once, checked
against `Result` and written by it. A catch-all `/reports/{name}` serves a report registered
after the app was built and answers 404 for unknown names.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from b2bgrowth.reporting.registry import Report, UnknownReport, all_reports, get_report, result_json
from b2bgrowth.web.deps import CurrentUser, WorkspaceDep
from b2bgrowth.web.filters import validation_errors
from b2bgrowth.web.shell import WebRegistry

ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "The report refused the parameters; `detail` says why."},
    422: {"description": "Bad parameters: `detail` and `errors`, one {where, reason, input} per parameter."},
}


def query_params_dict(request: Request) -> dict:
    """Repeated parameters become lists; single ones stay strings (pydantic coerces types)."""
    params: dict = {}
    for key in request.query_params:
        values = request.query_params.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    return params


def list_reports(user: CurrentUser) -> dict:
    return {
        "reports": [
            {"name": name, "title": report.title or name,
             "params": report.Params.model_json_schema(by_alias=True).get("properties", {})}
            for name, report in all_reports().items()
        ]
    }


def _run(name: str, request: Request, ws: Any) -> JSONResponse:
    try:
        report = get_report(name)
    except UnknownReport as exc:
        raise HTTPException(404, exc.args[0]) from None
    try:
        params = report.Params.model_validate(query_params_dict(request))
    except ValidationError as exc:
        errors = validation_errors(exc)
        detail = "; ".join(f"{e['where']}: {e['reason']}" for e in errors)
        return JSONResponse({"detail": detail, "errors": errors}, status_code=422)
    try:
        result = report.execute(ws, params)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    return JSONResponse(result_json(report, result))


def run_report(name: str, request: Request, ws: WorkspaceDep, user: CurrentUser) -> JSONResponse:
    return _run(name, request, ws)


def _endpoint(name: str) -> Callable[..., JSONResponse]:
    def run(request: Request, ws: WorkspaceDep, user: CurrentUser) -> JSONResponse:
        return _run(name, request, ws)

    run.__name__ = "report_" + name.replace("-", "_")
    return run


def query_parameters(report: Report) -> list[dict[str, Any]]:
    """The report's Params as OpenAPI query parameters (validated by `_run`, not by FastAPI, so
    that bad parameters get the report API's own 422 body)."""
    schema = report.Params.model_json_schema(by_alias=True)
    required = set(schema.get("required", ()))
    definitions = schema.get("$defs", {})  # an Enum or a model type: inlined, the document has no $defs

    def inline(value: Any) -> Any:
        if isinstance(value, dict):
            ref = value.get("$ref", "")
            target = inline(definitions[ref.rsplit("/", 1)[1]]) if ref.startswith("#/$defs/") else {}
            return {**target, **{k: inline(v) for k, v in value.items() if k != "$ref" or not target}}
        return [inline(v) for v in value] if isinstance(value, list) else value

    out = []
    for name, field_schema in schema.get("properties", {}).items():
        field_schema = inline({k: v for k, v in field_schema.items() if k != "title"})
        description = field_schema.pop("description", "")
        parameter: dict[str, Any] = {"name": name, "in": "query", "required": name in required, "schema": field_schema}
        if description:
            parameter["description"] = description
        out.append(parameter)
    return out


def build_router() -> APIRouter:
    """The listing, one route per registered report, then the catch-all."""
    router = APIRouter(prefix="/api/v1", tags=["reports"])
    router.add_api_route("/reports", list_reports, methods=["GET"], summary="List the reports")
    for name, report in all_reports().items():
        router.add_api_route(
            f"/reports/{name}", _endpoint(name), methods=["GET"], summary=report.title or name,
            response_model=report.Result, responses=ERROR_RESPONSES,
            operation_id="report_" + name.replace("-", "_"),
            openapi_extra={"parameters": query_parameters(report)} if report.Params.model_fields else None)
    router.add_api_route("/reports/{name}", run_report, methods=["GET"], summary="Run a report",
                         include_in_schema=False)
    return router


def register_web(web: WebRegistry) -> None:
    """The report API, built from the registry as it is when the app is made (the Workspace behind
    the app has installed every capability's reports by then)."""
    web.add_router(build_router())
