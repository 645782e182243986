"""Revenue & retention dashboard and NPS page in headless Chromium, zh-CN and en, with screenshots.

The seeded company (tests/web/seed_company.py) in 2023–2024: A1 new 1,000 (2023-01), A2 new 700
(100 USD, 2023-03), A3 churns 300 (2023-06-01), A1 expands +500 (2024-01) and +500 (2024-06);
so December 2024 ends at MRR 2,700 with 2 customers.
"""

from __future__ import annotations

import pytest

RANGE = "from=2023-01-01&to=2024-12-31"
CHARTS = ("chart-movements", "chart-arr", "chart-retention", "chart-nps", "chart-cohorts")
TEXT = {
    "zh_CN": {"title": "收入与留存", "churn": "流失", "renewal": "续约率", "responses": "回复"},
    "en": {"title": "Revenue & retention", "churn": "Churn", "renewal": "Renewal rate", "responses": "responses"},
}


@pytest.fixture
def console_errors(page):
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    return errors


def wait_for_charts(page, ids=CHARTS):
    for chart in ids:
        page.wait_for_selector(f"#{chart}[data-rendered] canvas", state="attached")


def shoot(page, screenshot, name: str) -> None:
    """Full-page screenshot from the top: scrolled, the sticky bars and the fixed panel would land mid-page."""
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(0, 0)  # no tooltip left over from a click
    screenshot(page, name)


def click_chart(page, chart_id: str, series_id: str, index: int, value: float) -> None:
    """Click the data point `index` of a series at `value` (ECharts draws on a canvas: no DOM to click)."""
    x, y = page.evaluate(
        """([chartId, seriesId, index, value]) => {
            const el = document.getElementById(chartId);
            el.scrollIntoView({block: "center"});
            const point = echarts.getInstanceByDom(el).convertToPixel({seriesId: seriesId}, [index, value]);
            const box = el.getBoundingClientRect();
            return [box.left + point[0], box.top + point[1]];
        }""", [chart_id, series_id, index, value])
    page.mouse.click(x, y)


def test_dashboard_renders_charts_and_kpis(page, live_server, lang, screenshot, console_errors):
    page.goto(f"{live_server}/dashboard?{RANGE}")
    wait_for_charts(page)
    assert TEXT[lang]["title"] in page.inner_text("h1")
    assert page.inner_text("#kpi-mrr .kpi-value") == "¥2,700"
    assert page.inner_text("#kpi-arr .kpi-value") == "¥32,400"
    assert page.inner_text("#kpi-customers .kpi-value") == "2"
    assert TEXT[lang]["renewal"] in page.inner_text("#kpis")
    # every chart drew something: its canvas is as wide as its card, not a collapsed 0 × 0
    for chart in CHARTS:
        width = page.evaluate(f"document.querySelector('#{chart} canvas').width")
        assert width > 200, chart
    page.click("[data-cohort-measure=revenue]")
    assert page.get_attribute("[data-cohort-measure=revenue]", "aria-pressed") == "true"
    shoot(page, screenshot, "dashboard")
    assert page.js_errors == [] and console_errors == []


def test_drill_down_from_a_bar_and_a_kpi(page, live_server, lang, screenshot, console_errors):
    page.goto(f"{live_server}/dashboard?{RANGE}")
    wait_for_charts(page, ["chart-movements"])
    click_chart(page, "chart-movements", "churn", 5, -150)  # June 2023: A3 churns 300
    page.wait_for_selector("#drill-panel:not([hidden]) #drill-table")
    panel = page.inner_text("#drill-panel")
    assert TEXT[lang]["churn"] in panel and "Blue Harbor Logistics" in panel
    assert page.inner_text("#drill-total") == "¥300"
    shoot(page, screenshot, "dashboard-drill-churn")
    page.click("[data-close-drill]")
    assert page.is_hidden("#drill-panel")

    page.click("#kpi-mrr")
    page.wait_for_selector("#drill-panel:not([hidden]) #drill-table")
    assert page.inner_text("#drill-total") == "¥2,700"  # the number on the card
    rows = page.inner_text("#drill-table tbody")
    assert "华东精密制造有限公司" in rows and "Northwind Trading" in rows
    assert page.get_attribute("#drill-table tbody a >> nth=0", "href").startswith("/accounts/")
    shoot(page, screenshot, "dashboard-drill-mrr")
    assert page.js_errors == [] and console_errors == []


def test_segment_filter_rerenders_with_htmx(page, live_server, lang, screenshot, console_errors):
    page.goto(f"{live_server}/dashboard?{RANGE}")
    wait_for_charts(page, ["chart-arr"])
    page.select_option("select[name=segment]", "tier")
    page.wait_for_selector("#segment-table")
    assert "segment=tier" in page.url
    wait_for_charts(page)
    table = page.inner_text("#segment-table")
    assert "KA" in table and "¥2,000" in table and "CA" in table and "¥700" in table
    page.click("#segment-table tbody tr >> nth=0 >> a >> nth=0")  # KA's MRR
    page.wait_for_selector("#drill-panel:not([hidden]) #drill-table")
    assert page.inner_text("#drill-total") == "¥2,000"
    shoot(page, screenshot, "dashboard-segment")
    assert page.js_errors == [] and console_errors == []


def test_nps_page_with_search(page, live_server, lang, screenshot, console_errors):
    page.goto(f"{live_server}/nps?from=2024-01-01&to=2024-12-31&segment=tier")
    wait_for_charts(page, ["chart-nps"])
    assert page.locator("#responses-table tbody tr").count() == 3
    assert "报表很好用" in page.inner_text("#responses-table")
    assert page.locator("#nps-segments").count() == 1
    shoot(page, screenshot, "nps")
    page.fill("input[name=q]", "slow")
    page.wait_for_function("document.querySelectorAll('#responses-table tbody tr').length === 1")
    assert "filtering" in page.inner_text("#responses-table")
    assert "q=slow" in page.url
    wait_for_charts(page, ["chart-nps"])
    shoot(page, screenshot, "nps-search")
    assert page.js_errors == [] and console_errors == []
