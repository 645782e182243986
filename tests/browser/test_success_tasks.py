"""CS tasks page in headless Chromium, zh-CN and en: filters, inline done / snooze / comment
(HTMX swaps the row), task detail with comments, playbook rules, viewer read-only. Screenshots."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from b2bgrowth.success.models import CsTask

TEXT = {"zh_CN": {"title": "客户成功任务", "task": "30 天内使用量下降 45%"},
        "en": {"title": "CS tasks", "task": "Usage down 45% over 30 days"}}


@pytest.fixture
def tasks(seeded_ws, lang):
    """Three open tasks per language run (ids carry the language so the runs do not meet)."""
    p = f"BT{lang}"
    now = datetime.now().replace(microsecond=0)
    rows = [
        CsTask(task_id=f"{p}1", account_id="A1", type="risk", rule_id="usage_down", signal_key=f"{p}:usage:A1",
               signal={"drop": "45%"}, title="Usage down 45% over 30 days", owner="王磊",
               due_date=date.today() - timedelta(days=2), status="open", comments=[], created_at=now),
        CsTask(task_id=f"{p}2", account_id="A2", type="renewal", rule_id="renewal_due", signal_key=f"{p}:renewal:A2",
               signal={"due_date": "2099-01-01"}, title="Contract due 2099-01-01: renewal", owner="Li Na",
               due_date=date.today() + timedelta(days=3), status="open", comments=[], created_at=now),
        CsTask(task_id=f"{p}3", account_id="A1", type="expansion", rule_id="seat_utilisation",
               signal_key=f"{p}:seats:A1", signal={"utilisation": "95%"}, title="Seats 95% used: expansion",
               owner="王磊", due_date=date.today() + timedelta(days=10), status="open", comments=[], created_at=now),
    ]
    with seeded_ws.store.write(touched=["cs_tasks"]) as s:
        for row in rows:
            s.merge(row)
    return p


def test_tasks_page_actions(page, live_server, lang, tasks, screenshot):
    t = TEXT[lang]
    page.goto(f"{live_server}/success/tasks?scope=all")
    assert page.locator("h1").inner_text() == t["title"]
    row = page.locator(f"#task-{tasks}1")
    assert t["task"] in row.inner_text()
    screenshot(page, "success-tasks")
    # Done inline: the row is swapped in place with the new status.
    row.get_by_role("button", name="完成" if lang == "zh_CN" else "Done").click()
    page.wait_for_selector(f"#task-{tasks}1[data-status=done]")
    from b2bgrowth.i18n import translator
    assert translator(lang).gettext("done") in page.locator(f"#task-{tasks}1").inner_text()
    # Snooze the second until a later day.
    row2 = page.locator(f"#task-{tasks}2")
    row2.locator("input[type=date]").fill((date.today() + timedelta(days=7)).isoformat())
    row2.get_by_role("button", name="暂缓" if lang == "zh_CN" else "Snooze").click()
    page.wait_for_selector(f"#task-{tasks}2[data-status=snoozed]")
    # Comment inline on the third, then read it on the detail page.
    row3 = page.locator(f"#task-{tasks}3")
    row3.locator("input[name=text]").fill("Call the CIO about 20 more seats")
    row3.get_by_role("button", name="添加" if lang == "zh_CN" else "Add").click()
    page.wait_for_selector(f"#task-{tasks}3 a[href='/success/tasks/{tasks}3'].small")
    # Filter by type: only expansion tasks stay.
    page.select_option("select[name=type]", "expansion")
    page.wait_for_selector(f"#task-{tasks}2", state="detached")
    screenshot(page, "success-tasks-filtered")
    page.goto(f"{live_server}/success/tasks/{tasks}3")
    assert "Call the CIO about 20 more seats" in page.locator("#comments").inner_text()
    screenshot(page, "success-task-detail")


def test_rules_page_and_viewer_read_only(page, login_as, live_server, lang, tasks, screenshot):
    page.goto(f"{live_server}/success/playbooks")
    assert page.locator("#rules-table tbody tr").count() == 6
    screenshot(page, "success-playbook-rules")
    viewer = login_as("viewer")
    viewer.goto(f"{live_server}/success/tasks?scope=all")
    assert viewer.locator(f"#task-{tasks}2 form").count() == 0
    viewer.goto(f"{live_server}/success/playbooks")
    assert viewer.locator("#rules-table input").count() == 0
