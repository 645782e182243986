"""Renewals page in headless Chromium, zh-CN and en, with screenshots.

Seeded company (tests/web/seed_company.py): as of 2023-12-01 only S1 (A1, 1,000 a month → ARR
12,000) is known to end within 60 days (2024-01-01; its continuation row starts later).
"""

from __future__ import annotations

TEXT = {"zh_CN": {"title": "续约", "model": "流失模型"}, "en": {"title": "Renewals", "model": "Churn model"}}


def test_renewals_page(page, live_server, lang, screenshot):
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server}/success/renewals?as_of=2023-12-01&days=60")
    assert page.locator("h1").inner_text() == TEXT[lang]["title"]
    rows = page.locator("#renewals-table tbody tr")
    assert rows.count() == 1
    assert "A1" in rows.first.inner_text() or "华东" in rows.first.inner_text() or rows.first.locator("a").count()
    assert "2024-01-01" in rows.first.inner_text()
    assert "12,000" in rows.first.inner_text()
    page.wait_for_selector("#chart-renewal-forecast[data-rendered] canvas", state="attached")
    assert TEXT[lang]["model"] in page.locator("#model-card").inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "success-renewals")
    # Owner filter: A1's owner is 王磊; another owner leaves the table empty.
    page.goto(f"{live_server}/success/renewals?as_of=2023-12-01&days=60&owner=Li%20Na")
    assert page.locator("#renewals-table").count() == 0
    assert not errors, errors
    response = page.goto(f"{live_server}/success/renewals?days=45")
    assert response.status == 400  # a window outside 30/60/90/180 is refused with a reason
    assert page.locator(".badge-bad").count() >= 1


def test_renewals_page_as_viewer(login_as, live_server):
    viewer = login_as("viewer")
    response = viewer.goto(f"{live_server}/success/renewals?as_of=2023-12-01&days=60")
    assert response.status == 200
