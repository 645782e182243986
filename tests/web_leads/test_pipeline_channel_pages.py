"""Pipeline board and channel dashboard pages, on both stores, over leads_seed.py's dataset."""

from __future__ import annotations

import re

from leads_seed import WINDOW
from page_helpers import csrf

RANGE = f"from={WINDOW['from']}&to={WINDOW['to']}"


def column(html: str, stage: str) -> str:
    start = html.index(f'data-stage="{stage}"')
    return html[start:html.index("</section>", start)]


def test_pipeline_page_figures_and_board(signed_in):
    page = signed_in("admin").get(f"/pipeline?{RANGE}&forecast_from=2024-07-01&forecast_to=2024-08-31")
    assert page.status_code == 200
    html = page.text
    # closed in the window: O1 won, O3 lost → win rate 1 ÷ 2 = 50.0%; open pipeline O2 20,000 + O4 8,000
    assert re.search(r'id="kpi-win-rate">50.0%<', html)
    assert re.search(r'id="kpi-open">¥28,000<', html)
    assert 'data-id="O2"' in column(html, "方案演示") and "¥20,000" in column(html, "方案演示")
    assert 'data-id="O4"' in column(html, "需求确认")
    assert 'data-id="O1"' in column(html, "赢单") and 'data-id="O3"' in column(html, "输单")
    assert 'draggable="true"' in html and "board.js" in html
    # forecast by close month: O2 closes 2024-07 (20,000), O4 2024-08 (8,000)
    forecast = html[html.index('id="forecast-table"'):]
    assert re.search(r"<td>2024-07</td><td class=\"num\">1</td><td class=\"num\">¥20,000<", forecast)
    assert re.search(r"<td>2024-08</td><td class=\"num\">1</td><td class=\"num\">¥8,000<", forecast)


def test_a_stage_move_shows_on_the_board_and_viewers_cannot_drag(signed_in):
    sales = signed_in("sales")
    token = csrf(sales, "/pipeline")
    moved = sales.post("/api/v1/opportunities/O4/stage", json={"stage": "商务谈判"}, headers={"X-CSRF-Token": token})
    assert moved.status_code == 200, moved.text
    html = sales.get(f"/pipeline?{RANGE}").text
    assert 'data-id="O4"' in column(html, "商务谈判") and 'data-id="O4"' not in column(html, "需求确认")
    viewer = signed_in("viewer")
    html = viewer.get(f"/pipeline?{RANGE}").text
    assert 'draggable="true"' not in html
    refused = viewer.post("/api/v1/opportunities/O4/stage", json={"stage": "需求确认"},
                          headers={"X-CSRF-Token": csrf(viewer, "/pipeline")})
    assert refused.status_code == 403


def test_pipeline_bad_dates_are_a_clear_400(signed_in):
    page = signed_in("admin").get("/pipeline?from=2024-13-01")
    assert page.status_code == 400 and "from: 2024-13-01 is not a date" in page.text


def test_channel_dashboard_figures(signed_in):
    page = signed_in("admin").get(f"/channels?{RANGE}")
    assert page.status_code == 200
    html = page.text

    def row(channel: str) -> list[str]:
        start = html.index(f'<tr data-channel="{channel}">')
        cells = re.findall(r'<td class="num[^"]*">([^<]*)</td>', html[start:html.index("</tr>", start)])
        return cells

    # leads, mqls, sqls, opportunities, won, won_amount, cost, cpl, cost/mql, cac, roi (see leads_seed.py)
    assert row("sem") == ["2", "2", "2", "2", "1", "¥50,000", "¥2,000", "¥1,000", "¥1,000", "¥2,000", "2,400.0%"]
    assert row("expo") == ["2", "1", "0", "2", "0", "¥0", "¥3,000", "¥1,500", "¥3,000", "—", "-100.0%"]
    assert row("ref") == ["1", "0", "0", "0", "0", "¥0", "¥0", "¥0", "—", "—", "—"]
    # funnel = column sums: leads 2+2+1 = 5, mqls 2+1+0 = 3, sqls 2, won 1
    for key, value in (("leads", "5"), ("mqls", "3"), ("sqls", "2"), ("won", "1")):
        assert re.search(rf'id="kpi-{key}"><div class="kpi-label">[^<]*</div><div class="kpi-value">{value}<', html)
    # each channel links to its leads: the merged leads created in the window
    assert 'href="/leads?channel=expo&amp;from=2024-01-01&amp;to=2024-06-30"' in html
    assert 'id="chart-cost-won"' in html and 'id="chart-cac"' in html and 'id="chart-funnel"' in html
    assert 'id="cadence-charts"' in html and 'id="growth-cards"' in html


def test_channel_dashboard_attribution_models_and_bad_input(signed_in):
    client = signed_in("viewer", "zh_CN")
    for model in ("first_touch", "last_touch", "linear", "position_based"):
        page = client.get(f"/channels?{RANGE}&model={model}")
        assert page.status_code == 200
        assert f'data-model="{model}" class="active"' in page.text
    bad = client.get(f"/channels?{RANGE}&model=magic")
    assert bad.status_code == 400 and "magic" in bad.text
