"""Onboarding progress, the milestone editor and the tier rules page — in zh-CN and en, with screenshots.

The session's seeded company: A1 first paid 2023-01-01, A2 2023-03-01 (see tests/web/seed_company.py);
as of 2023-03-20 both are in their first 90 days (days 78 and 19). One planted login of A1 on
2023-01-03 makes its first-login milestone done; everything else is pending or overdue.
"""

from __future__ import annotations

TEXT = {
    "zh_CN": {"title": "客户上线", "milestones": "上线里程碑", "tiers": "客户分级规则", "not_saved": "规则未保存",
              "first_login": "首次登录", "ms_not_saved": "里程碑未保存"},
    "en": {"title": "Onboarding", "milestones": "Onboarding milestones", "tiers": "Tier rules",
           "not_saved": "The rules were not saved", "first_login": "First login", "ms_not_saved": "The milestone was not saved"},
}


def _plant_login(ws):
    ws.events.ingest([{"event_id": "browser-lifecycle-a1-login", "ts": "2023-01-03T09:00:00", "account_id": "A1",
                       "user_id": "u-a1", "event": "login", "properties": {}}])


def test_onboarding_progress(page, live_server, lang, screenshot, seeded_ws):
    _plant_login(seeded_ws)
    page.goto(f"{live_server}/success/onboarding?as_of=2023-03-20")
    assert TEXT[lang]["title"] in page.inner_text("h1")
    rows = page.locator("#onboarding-table tbody tr[data-account]")
    assert sorted(rows.evaluate_all("rs => rs.map(r => r.dataset.account)")) == ["A1", "A2"]
    a1 = page.locator('tr[data-account="A1"]')
    # A1: first login on 2023-01-03 (done, due 01-08); 3 active users due 01-31 and first report due 02-15: overdue.
    assert a1.locator('[data-milestone="first_login"]').get_attribute("data-status") == "done"
    assert a1.locator('[data-milestone="first_report"]').get_attribute("data-status") == "overdue"
    # A2 (day 19): first login due 03-08 is overdue; the rest pending.
    assert page.locator('tr[data-account="A2"] [data-milestone="three_active_users"]').get_attribute("data-status") == "pending"
    assert TEXT[lang]["first_login"] in a1.inner_text()
    screenshot(page, "success-onboarding")
    page.check("input[name=status]")
    page.click(".filters button[type=submit]")
    page.wait_for_url("**status=overdue**")
    assert page.locator("#onboarding-table tbody tr[data-account]").count() == 2


def test_milestone_editor(page, live_server, lang, screenshot):
    page.goto(f"{live_server}/success/onboarding/milestones")
    assert TEXT[lang]["milestones"] in page.inner_text("h1")
    form = page.locator("#milestone-form")
    form.locator("input[name=milestone_id]").fill(f"kickoff-{lang.lower()}")
    form.locator("input[name=name]").fill("Kick-off call")
    form.locator("select[name=kind]").select_option("event")
    form.locator("input[name=target_days]").fill("14")
    form.locator("button[type=submit]").click()  # no event name: refused with the reason
    assert TEXT[lang]["ms_not_saved"] in page.inner_text("#milestone-errors")
    screenshot(page, "success-milestones-error")
    page.locator("#milestone-form input[name=event]").fill("kickoff_call")
    page.locator("#milestone-form button[type=submit]").click()
    page.wait_for_url("**saved=**")
    row = page.locator(f'tr[data-milestone="kickoff-{lang.lower()}"]')
    assert "kickoff_call" in row.inner_text()
    screenshot(page, "success-milestones")
    page.once("dialog", lambda d: d.accept())
    row.locator("button[value=remove]").click()
    page.wait_for_load_state()
    assert page.locator(f'tr[data-milestone="kickoff-{lang.lower()}"]').count() == 0


def test_tier_rules_page(page, live_server, lang, screenshot, login_as):
    page.goto(f"{live_server}/success/tiers")
    assert TEXT[lang]["tiers"] in page.inner_text("h1")
    assert page.input_value('input[name="KA_min_arr"]') == "1000000"
    screenshot(page, "success-tiers")
    # A bad number is refused with the reason, nothing saved (the shared workspace keeps its tiers).
    page.fill('input[name="CA_min_employees"]', "many")
    page.click("#tier-form button[value=save]")
    assert TEXT[lang]["not_saved"] in page.inner_text("#tier-errors")
    viewer = login_as("viewer")
    viewer.goto(f"{live_server}/success/tiers")
    assert viewer.locator('input[name="KA_min_arr"]').count() == 0  # read-only
    viewer.context.close()
