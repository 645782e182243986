"""The account page's revenue and NPS panels (owned by revenue/ and voc/; figures hand-computed
in seed_company.py), read as fragments through the test client in both languages, and in place
on the account page."""

from __future__ import annotations

import re

import pytest

LANGS = {"en": "en", "zh": "zh-CN,zh;q=0.9"}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_revenue_panel_fragment(signed_in, lang):
    c = signed_in("viewer")  # every signed-in role, as the revenue dashboard
    response = c.get("/revenue/accounts/A1/summary", headers={"Accept-Language": LANGS[lang]})
    assert response.status_code == 200 and "<html" not in response.text
    html = response.text
    label = {"en": "Current MRR", "zh": "当前 MRR"}[lang]
    assert label in html
    mrr = re.search(r'id="kpi-mrr">([^<]+)<', html).group(1)
    assert mrr.endswith("2,000")  # 1,500 (S1 renewal row) + 500 (S2)
    assert "24,000" in html  # ARR = 2,000 × 12
    assert html.count('<td class="mono">S1</td>') == 2 and '<td class="mono">S2</td>' in html
    assert 'id="mrr-history"' in html


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_revenue_panel_converts_with_the_one_rate(signed_in, lang):
    html = signed_in("admin").get("/revenue/accounts/A2/summary", headers={"Accept-Language": LANGS[lang]}).text
    assert re.search(r'id="kpi-mrr">[^<]*700<', html)  # 100 USD × 7.0; the 2099 row is not paying yet
    assert "8,400" in html  # ARR


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_nps_panel_fragment(signed_in, lang):
    html = signed_in("csm").get("/voc/accounts/A1/nps", headers={"Accept-Language": LANGS[lang]}).text
    # A1: 9 (promoter) and 6 (detractor) → 100 × (1 − 1) ÷ 2 = 0
    assert re.search(r'NPS</div><div class="kpi-value">0</div>', html)
    assert '<span class="score score-promoter">9</span>' in html and '<span class="score score-detractor">6</span>' in html
    assert "报表很好用" in html and "&lt;b&gt;filtering&lt;/b&gt;" in html
    assert {"en": "NPS responses", "zh": "NPS 调研回复"}[lang] in html
    a2 = signed_in("admin").get("/voc/accounts/A2/nps", headers={"Accept-Language": LANGS[lang]}).text
    assert re.search(r'NPS</div><div class="kpi-value">100</div>', a2)  # one promoter
    a3 = signed_in("admin").get("/voc/accounts/A3/nps", headers={"Accept-Language": LANGS[lang]}).text
    assert re.search(r'NPS</div><div class="kpi-value">—</div>', a3)  # no responses: no NPS


def test_panels_answer_404_for_an_unknown_account(signed_in):
    c = signed_in("admin")
    assert c.get("/revenue/accounts/NOPE/summary").status_code == 404
    assert c.get("/voc/accounts/NOPE/nps").status_code == 404


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_account_page_puts_the_revenue_and_nps_panels_in_place(signed_in, lang):
    html = signed_in("ops").get("/accounts/A1", headers={"Accept-Language": LANGS[lang]}).text
    for key in ("revenue", "nps"):
        card = re.search(rf'<div class="card account-panel span-2" id="panel-{key}"( hx-get)?', html)
        assert card and card.group(1) is None  # rendered in place, not loaded later
    assert re.search(r'NPS</div><div class="kpi-value">0</div>', html)
    assert re.search(r'id="kpi-mrr">[^<]*2,000<', html)
    assert 'hx-get="/success/accounts/A1/health"' in html  # the success panels still load by HTMX
    assert html.index('id="panel-revenue"') < html.index('id="panel-nps"') < html.index('id="panel-health"')


def test_a_failing_in_place_panel_falls_back_to_loading_its_route(signed_in, monkeypatch):
    import b2bgrowth.voc.web_account as voc_panel

    def broken(ws, account_id):
        raise RuntimeError("boom")

    monkeypatch.setattr(voc_panel, "account_nps", broken)
    html = signed_in("admin").get("/accounts/A1").text
    assert 'id="panel-nps" hx-get="/voc/accounts/A1/nps"' in html
    assert 'id="kpi-mrr"' in html  # the other panels are unaffected
