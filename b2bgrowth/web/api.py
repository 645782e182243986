"""The generic report API: every registered report at GET /api/v1/reports/{name}.

Query parameters go through the report's own pydantic `Params` (the same model the CLI and
Python API use), so `?period=month&from=2024-01-01&to=2024-12-31&segment=region` here equals
`b2bgrowth report revenue --period month --from … --segment region --json`.
Errors: unknown report 404; bad parameters 422 naming each one; ValueError from the report 400.
"""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError

from b2bgrowth.reporting.jsonable import jsonable
from b2bgrowth.reporting.registry import UnknownReport, all_reports, get_report
from b2bgrowth.web.deps import CurrentUser, WorkspaceDep
from b2bgrowth.web.filters import validation_errors

router = APIRouter(prefix="/api/v1", tags=["reports"])


def query_params_dict(request: Request) -> dict:
    """Repeated parameters become lists; single ones stay strings (pydantic coerces types)."""
    params: dict = {}
    for key in request.query_params.keys():
        values = request.query_params.getlist(key)
        params[key] = values if len(values) > 1 else values[0]
    return params


@router.get("/reports", summary="List the reports")
def list_reports(user: CurrentUser) -> dict:
    return {
        "reports": [
            {"name": name, "title": report.title or name,
             "params": report.Params.model_json_schema(by_alias=True).get("properties", {})}
            for name, report in all_reports().items()
        ]
    }


@router.get("/reports/{name}", summary="Run a report")
def run_report(name: str, request: Request, ws: WorkspaceDep, user: CurrentUser):
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
    return JSONResponse(jsonable(result))

