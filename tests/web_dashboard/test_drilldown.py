"""/dashboard/drill and the NPS responses panel: the rows behind a number add up to that number."""

from __future__ import annotations

import html
import re

import pytest
from dashboard_company import RANGE

MOVEMENTS = ("new", "expansion", "contraction", "churn", "reactivation")
BALANCES = ("mrr_start", "mrr_end")
COUNTS = ("customers", "renewals_due", "renewals_renewed")


def drill(client, **params):
    response = client.get("/dashboard/drill", params=params, headers={"HX-Request": "true"})
    assert response.status_code == 200, response.text
    return response.text


def total_of(page: str) -> float:
    return float(re.search(r'id="drill-total" data-value="([^"]+)"', page).group(1))


def accounts_in(page: str) -> list[str]:
    body = page[page.index("<tbody>"):page.index("</tbody>")] if "<tbody>" in page else ""
    return re.findall(r'href="/accounts/([^"]+)"', body)


def test_every_figure_equals_its_rows(signed_in, app):
    ws, client = app.state.ws, signed_in("admin", "zh_CN")
    for row in ws.report("revenue", period="month", **RANGE)["periods"]:
        for metric in MOVEMENTS + BALANCES + COUNTS:
            page = drill(client, metric=metric, period_start=row["period_start"], period_end=row["period_end"])
            assert total_of(page) == pytest.approx(row[metric]), (metric, row["period_start"])


def test_churn_in_february_is_beta(signed_in):
    page = drill(signed_in("admin", "en"), metric="churn", period_start="2024-02-01", period_end="2024-02-29")
    assert accounts_in(page) == ["B2"]
    assert "Beta Retail" in page and "2024-02-15" in page
    assert re.search(r"Total \(1 row\)</td>.*¥400</td>", page, re.S)


def test_mrr_end_rows_link_to_accounts_and_sum_to_the_kpi(signed_in):
    page = drill(signed_in("admin", "en"), metric="mrr_end", period_start="2024-03-01", period_end="2024-03-31")
    assert sorted(accounts_in(page)) == ["B1", "B3"]
    assert total_of(page) == 2200
    assert ">¥2,200<" in page  # the MRR card shows ¥2,200


def test_segment_drill_keeps_only_that_segment(signed_in, app):
    ws, client = app.state.ws, signed_in("admin", "zh_CN")
    rows = ws.report("revenue", period="month", segment="tier", **RANGE)["periods"]
    march = {r["segment"]: r for r in rows if r["period_start"] == "2024-03-01"}
    for tier in ("KA", "SMB"):
        page = drill(client, metric="mrr_end", period_start="2024-03-01", period_end="2024-03-31",
                     segment_by="tier", segment=tier)
        assert total_of(page) == march[tier]["mrr_end"]
    page = drill(client, metric="mrr_end", period_start="2024-03-01", period_end="2024-03-31",
                 segment_by="tier", segment="SMB")
    assert accounts_in(page) == ["B3"]


def test_renewals_due_in_february(signed_in):
    page = drill(signed_in("admin", "en"), metric="renewals_due", period_start="2024-02-01", period_end="2024-02-29")
    assert total_of(page) == 1
    assert accounts_in(page) == ["B2"] and "P2" in page
    assert ">¥4,800<" in page  # the due chain's ARR: 400 × 12


def test_full_page_when_opened_directly(signed_in):
    response = signed_in("admin", "zh_CN").get("/dashboard/drill", params={"metric": "new", "period_start": "2024-01-01",
                                                           "period_end": "2024-01-31"})
    assert response.status_code == 200 and "<html" in response.text and 'id="drill-table"' in response.text


BAD_DRILLS = [
    ({"metric": "profit", "period_start": "2024-01-01", "period_end": "2024-01-31"}, "metric: profit is not one of"),
    ({"metric": "new", "period_start": "yesterday", "period_end": "2024-01-31"}, "period_start: yesterday is not a date"),
    ({"metric": "new", "period_start": "2024-02-01", "period_end": "2024-01-31"}, "is after to"),
    ({"metric": "new", "period_start": "2024-01-01", "period_end": "2024-01-31", "segment_by": "x"}, "segment: x is not"),
]


def test_bad_drill_parameters_are_named(signed_in):
    client = signed_in("admin", "en")
    for params, reason in BAD_DRILLS:
        response = client.get("/dashboard/drill", params=params)
        assert response.status_code == 400, params
        assert reason in html.unescape(response.text)
    assert client.get("/dashboard/drill", params={"metric": "new"}).status_code == 422
    bad_nps = client.get("/nps/responses", params={"from": "soon", "to": "2024-01-31", "panel": 1})
    assert bad_nps.status_code == 400 and "from: soon is not a date" in html.unescape(bad_nps.text)


def test_nps_panel_counts_equal_the_report(signed_in, app):
    ws, client = app.state.ws, signed_in("admin", "en")
    for row in ws.report("nps", period="month", **RANGE)["periods"]:
        response = client.get("/nps/responses", params={"from": row["period_start"], "to": row["period_end"],
                                                        "panel": 1}, headers={"HX-Request": "true"})
        assert total_of(response.text) == row["responses"]
    page = client.get("/nps/responses", params={"from": "2024-03-01", "to": "2024-03-31", "panel": 1,
                                                "score_class": "promoters"}, headers={"HX-Request": "true"}).text
    assert total_of(page) == 1 and accounts_in(page) == ["B1"]
