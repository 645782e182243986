"""Browser tests: the CSM health portfolio and the scorecard editor, in zh_CN and en.

The seeded company pays on today for A1 (KA, owner 王磊) and A2 (CA, owner Li Na). The editor
test saves a scorecard for CA accounts in onboarding, which no seeded account is, so other
browser tests' health figures do not move.
"""

from __future__ import annotations

import pytest

TEXT = {
    "zh_CN": {"portfolio": "健康度组合", "editor": "健康度评分卡", "saved": "已保存为新版本", "not_saved": "未保存",
              "read_only": "只读"},
    "en": {"portfolio": "Health portfolio", "editor": "Health scorecards", "saved": "Saved as a new version",
           "not_saved": "Not saved", "read_only": "Read only"},
}


def test_portfolio_lists_paying_accounts_with_health(page, live_server, lang, screenshot):
    page.goto(f"{live_server}/success/portfolio?mine=0")
    assert page.locator("h1").inner_text() == TEXT[lang]["portfolio"]
    rows = page.locator("#portfolio-table tbody tr")
    ids = sorted(rows.nth(i).get_attribute("data-account") for i in range(rows.count()))
    assert {"A1", "A2"} <= set(ids) and "A3" not in ids and "A4" not in ids
    chip = page.locator('tr[data-account="A1"] .health-chip')
    assert chip.inner_text().strip() not in ("", "—")
    assert any(c in chip.get_attribute("class") for c in ("health-green", "health-yellow", "health-red"))
    page.select_option("select[name=tier]", "KA")
    page.click("#portfolio-filters button[type=submit]")
    page.wait_for_url("**tier=KA**")
    rows = page.locator("#portfolio-table tbody tr")
    assert [rows.nth(i).get_attribute("data-account") for i in range(rows.count())] == ["A1"]
    screenshot(page, "success-portfolio")
    page.click('tr[data-account="A1"] td a[href="/accounts/A1"]')
    page.wait_for_url("**/accounts/A1")
    assert not page.js_errors


def test_csm_sees_my_accounts_by_default(login_as, live_server, lang):
    page = login_as("csm")
    page.goto(f"{live_server}/success/portfolio")
    assert page.locator("select[name=mine]").input_value() == "1"
    assert page.locator("#portfolio-table").count() == 0  # the seeded csm owns no account
    page.select_option("select[name=mine]", "0")
    page.click("#portfolio-filters button[type=submit]")
    page.wait_for_url("**mine=0**")
    assert page.locator("#portfolio-table tbody tr").count() >= 2


def test_scorecard_editor_saves_a_version_and_shows_errors(page, live_server, lang, screenshot):
    page.goto(f"{live_server}/success/scorecards")
    assert page.locator("h1").inner_text() == TEXT[lang]["editor"]
    card_id = f"browser-ca-{lang.lower().replace('_', '-')}"
    page.fill("input[name=id]", card_id)
    page.click("form.filters button[type=submit]")
    page.wait_for_url(f"**/success/scorecards/{card_id}**")
    page.fill("input[name=name]", "CA onboarding")
    page.check("input[name=tiers][value=CA]")
    page.check("input[name=stages][value=onboarding]")
    # a bad threshold: poor above good for a higher-better measure
    page.fill("input[name=m0_good]", "0.1")
    page.fill("input[name=m0_poor]", "0.5")
    page.click("#save-scorecard")
    page.wait_for_selector("#scorecard-errors")
    errors = page.locator("#scorecard-errors").inner_text()
    assert TEXT[lang]["not_saved"] in errors and "Adoption › seats" in errors and "poor (0.5)" in errors
    screenshot(page, "success-scorecard-error")
    page.fill("input[name=m0_good]", "0.7")
    page.fill("input[name=m0_poor]", "0.4")
    page.fill("input[name=g0_weight]", "55")
    page.click("#save-scorecard")
    page.wait_for_url("**saved=1**")
    assert TEXT[lang]["saved"] in page.locator(".notice").inner_text()
    assert page.locator("input[name=g0_weight]").input_value() in ("55", "55.0")
    assert page.locator("#history-table tr").count() == 1
    screenshot(page, "success-scorecard-editor")
    assert not page.js_errors


@pytest.mark.parametrize("role", ["viewer"])
def test_viewer_reads_scorecards_only(login_as, live_server, lang, role):
    page = login_as(role)
    page.goto(f"{live_server}/success/scorecards/default")
    assert TEXT[lang]["read_only"] in page.content()
    assert page.locator("#save-scorecard").count() == 0
    assert page.locator("input[name=name]").is_disabled()
