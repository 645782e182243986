"""Every report declares its result (Report.Result); the OpenAPI document has each report's schema,
and what the reports return fits their models without a change to the JSON."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from pydantic import BaseModel

from b2bgrowth.reporting.jsonable import jsonable
from b2bgrowth.reporting.registry import ResultModel, UntypedResult, all_reports, result_json

# Values for parameters a report requires, by name (a new report's required parameter needs one here).
REQUIRED = {"from": "2023-01-01", "to": "2024-12-31", "account": "A1", "survey": "all"}
AS_OF = "2024-12-31"


def _params(report) -> dict:
    params = {}
    for name, info in report.Params.model_fields.items():
        key = info.alias or name
        if info.is_required():
            assert key in REQUIRED, f"report {report.name}: no test value for its required parameter {key!r}"
            params[key] = REQUIRED[key]
        elif key in ("as-of", "as_of"):
            params[key] = AS_OF
    return params


def _survey(ws) -> None:
    """A survey over the company's contacts, open, with one answer (so `survey` has rows)."""
    from b2bgrowth.voc.surveys import service
    from b2bgrowth.voc.surveys.service import recipients

    t0 = datetime(2024, 6, 1, 9, 0)
    service.create_survey(ws, "All", survey_id="all", now=t0)
    service.add_recipients(ws, "all", {"tier": ["KA", "CA"]}, now=t0)
    service.set_status(ws, "all", "open")
    token = next(r["token"] for r in recipients(ws, "all") if r["contact_id"] == "C1")
    service.respond(ws, token, 9, "导出很快", now=datetime(2024, 6, 2, 10, 0))


def test_every_report_declares_a_result_model():
    reports = all_reports()
    assert len(reports) >= 24
    untyped = sorted(name for name, report in reports.items()
                     if not (isinstance(report.Result, type) and issubclass(report.Result, BaseModel))
                     or report.Result is UntypedResult)
    assert not untyped, f"reports without a Result model: {', '.join(untyped)}"


def test_openapi_has_a_typed_response_for_every_report(client):
    doc = client.get("/api/v1/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for name, report in all_reports().items():
        operation = doc["paths"].get(f"/api/v1/reports/{name}", {}).get("get")
        assert operation, f"no path for report {name}"
        schema = operation["responses"]["200"]["content"]["application/json"]["schema"]
        ref = schema.get("$ref", "")
        assert ref.startswith("#/components/schemas/"), f"report {name}: untyped response {schema}"
        target = schemas[ref.rsplit("/", 1)[1]]
        assert target.get("properties") or target.get("oneOf"), f"report {name}: empty schema {target}"
        documented = {p["name"] for p in operation.get("parameters", [])}
        assert documented == {info.alias or field for field, info in report.Params.model_fields.items()}
        assert {"400", "422"} <= set(operation["responses"])
    assert "/api/v1/reports" in doc["paths"]
    assert "/api/v1/reports/{name}" not in doc["paths"]  # the catch-all is for unknown names only


@pytest.fixture
def with_survey(seeded):
    _survey(seeded)
    return seeded


def test_every_report_fits_its_result_model_and_keeps_its_json(with_survey, signed_in):
    ws, c = with_survey, signed_in("viewer")
    for name, report in all_reports().items():
        params = _params(report)
        raw = ws.report(name, **params)
        model = report.Result.model_validate(jsonable(raw))  # ValidationError = a field without its model
        assert issubclass(report.Result, ResultModel) or report.Result.__pydantic_root_model__, name
        expected = json.dumps(jsonable(raw), ensure_ascii=False)
        assert json.dumps(result_json(report, raw), ensure_ascii=False) == expected, name
        assert model.model_dump(mode="json", by_alias=True, exclude_unset=True) == json.loads(expected), name
        response = c.get(f"/api/v1/reports/{name}", params=params)
        assert response.status_code == 200, (name, response.text)
        assert response.json() == json.loads(expected), name


def test_a_field_without_its_model_fails(with_survey):
    from pydantic import ValidationError

    report = all_reports()["nps"]
    result = jsonable(with_survey.report("nps", period="month", **{"from": "2024-01-01", "to": "2024-03-31"}))
    result["periods"][0]["new_field"] = 1
    with pytest.raises(ValidationError, match="new_field"):
        result_json(report, result)
