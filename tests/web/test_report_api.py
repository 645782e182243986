"""The generic report API: 200 / 404 / 422 / 400, never 500."""

from __future__ import annotations

from datetime import date
from typing import Literal

import pytest
from pydantic import Field

from b2bgrowth.reporting import registry
from b2bgrowth.reporting.registry import Report, ReportParams


class _ProbeParams(ReportParams):
    period: Literal["month", "quarter"] = "month"
    from_: date = Field(alias="from")
    to: date
    segment: str | None = None


class _ProbeReport(Report):
    """Counts accounts; refuses reversed ranges with a ValueError like real reports do."""

    name = "_probe_accounts"
    title = "Probe"
    Params = _ProbeParams

    def execute(self, ws, params):
        if params.from_ > params.to:
            raise ValueError("--from must not be after --to")
        from sqlalchemy import func, select

        from b2bgrowth.accounts.models import Account

        with ws.store.read() as s:
            n = s.execute(select(func.count()).select_from(Account)).scalar_one()
        return {"periods": [{"period_start": params.from_, "period_end": params.to, "segment": params.segment or "all",
                             "accounts": n, "ratio": float("nan")}]}


@pytest.fixture
def probe_report():
    registry.all_reports()  # load the real ones first
    registry._REPORTS[_ProbeReport.name] = _ProbeReport()
    yield _ProbeReport.name
    registry._REPORTS.pop(_ProbeReport.name, None)


def test_report_runs_with_query_params(signed_in, probe_report):
    c = signed_in("viewer")
    response = c.get(f"/api/v1/reports/{probe_report}?period=quarter&from=2024-01-01&to=2024-12-31&segment=region")
    assert response.status_code == 200
    assert response.json() == {"periods": [{"period_start": "2024-01-01", "period_end": "2024-12-31",
                                            "segment": "region", "accounts": 4, "ratio": None}]}


def test_report_list_includes_params(signed_in, probe_report):
    listed = {r["name"]: r for r in signed_in("viewer").get("/api/v1/reports").json()["reports"]}
    assert set(listed[probe_report]["params"]) == {"period", "from", "to", "segment"}


def test_unknown_report_is_404(signed_in):
    response = signed_in("admin").get("/api/v1/reports/no_such_report")
    assert response.status_code == 404
    assert "unknown report 'no_such_report'" in response.json()["detail"]


@pytest.mark.parametrize("query,where", [
    ("from=2024-13-01&to=2024-12-31", "from"),
    ("to=2024-12-31", "from"),
    ("from=2024-01-01&to=2024-12-31&period=fortnight", "period"),
    ("from=2024-01-01&to=2024-12-31&colour=red", "colour"),
])
def test_bad_params_are_422_naming_the_parameter(signed_in, probe_report, query, where):
    response = signed_in("admin").get(f"/api/v1/reports/{probe_report}?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["detail"].startswith(f"{where}:")
    assert body["errors"][0]["where"] == where


def test_value_error_from_the_report_is_400_with_its_message(signed_in, probe_report):
    response = signed_in("admin").get(f"/api/v1/reports/{probe_report}?from=2024-12-31&to=2024-01-01")
    assert response.status_code == 400
    assert response.json() == {"detail": "--from must not be after --to"}


def test_reports_need_authentication(client, probe_report):
    assert client.get(f"/api/v1/reports/{probe_report}?from=2024-01-01&to=2024-02-01").status_code == 401
