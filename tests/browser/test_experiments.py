"""Experiment pages in headless Chromium, zh-CN and en, with screenshots in test-artifacts/screenshots/:
the list, the set-up form (dynamic variant rows, submit), the results page of a planted experiment
(interval charts drawn on canvas, the SRM banner), the stats calculator (htmx re-render, the
reason for bad input) and the planner."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web_experiments"))
from planted import plant  # noqa: E402

KEY = "browser-srm"
TEXT = {
    "zh_CN": {"list": "实验", "srm": "样本比例失衡", "calc": "统计计算器", "planner": "样本量规划", "cannot": "无法计算",
              "underpowered": "检验效能不足", "new": "新建实验", "overdue": "逾期未决策", "by": "决策人 admin",
              "sequential": "置信序列"},
    "en": {"list": "Experiments", "srm": "Sample-ratio mismatch", "calc": "Stats calculator", "planner": "Sample-size planner",
           "cannot": "Cannot compute", "underpowered": "Underpowered", "new": "New experiment",
           "overdue": "overdue for a decision", "by": "by admin", "sequential": "confidence sequences"},
}


@pytest.fixture
def planted(seeded_ws):
    """The planted SRM experiment (28 control / 6 treatment, see tests/web_experiments/planted.py), once."""
    from b2bgrowth.experiments.service import get_experiment

    try:
        get_experiment(seeded_ws, KEY)
    except KeyError:
        plant(seeded_ws, key=KEY)
    return KEY


def shoot(page, screenshot, name: str) -> None:
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    screenshot(page, name)


def charts_drawn(page, selector: str = "[data-intervals]") -> int:
    """Wait until every interval chart in view has drawn on its canvas; returns how many."""
    page.wait_for_function(
        """(sel) => [...document.querySelectorAll(sel)].every(el => el.dataset.rendered === "1" || el.classList.contains("chart-empty"))""",
        arg=selector)
    return page.locator(f"{selector} canvas").count()


def test_list_page(page, live_server, lang, planted, screenshot):
    page.goto(f"{live_server}/experiments")
    assert TEXT[lang]["list"] in page.inner_text("h1")
    row = page.locator(f"#experiment-list tr[data-key='{KEY}']")
    assert row.count() == 1 and "converted" in row.inner_text()
    assert page.locator(".nav-link.active").inner_text() == TEXT[lang]["list"]
    page.select_option("select[name=status]", "draft")
    page.wait_for_url("**status=draft")
    assert page.locator(f"#experiment-list tr[data-key='{KEY}']").count() == 0
    page.goto(f"{live_server}/experiments")
    shoot(page, screenshot, "experiments-list")
    assert page.js_errors == []


def test_setup_form_submit(page, live_server, lang, screenshot):
    key = f"ui-{lang.lower().replace('_', '-')}"
    page.goto(f"{live_server}/experiments/new")
    page.fill("input[name=key]", key)
    page.fill("input[name=name]", "Free samples 免费样品")
    page.fill("textarea[name=hypothesis]", "Free samples at pickup stations lift paid conversion")
    page.click("[data-add-row=variant-rows]")  # a third arm: rows are added in the browser
    names, weights = page.locator("input[name=variant_name]"), page.locator("input[name=variant_weight]")
    assert names.count() == 3
    for i, (name, weight) in enumerate([("control", "0.2"), ("sample_a", "0.4"), ("sample_b", "0.3")]):
        names.nth(i).fill(name)
        weights.nth(i).fill(weight)
    page.select_option("select[name=population_tier]", ["SMB"])
    page.fill("input[name=metric_name]", "converted")
    page.fill("input[name=metric_events]", "trial_converted")
    page.fill("input[name=planned_start]", "2026-03-01")
    page.fill("input[name=planned_end]", "2026-05-31")
    shoot(page, screenshot, "experiments-setup-form")
    page.click("#setup-form button[type=submit]")
    # 0.2 + 0.4 + 0.3 = 0.9: refused with the reason, the rows kept
    assert "0.9" in page.inner_text("#setup-errors")
    shoot(page, screenshot, "experiments-setup-errors")
    page.locator("input[name=variant_weight]").nth(2).fill("0.4")
    page.click("#setup-form button[type=submit]")
    page.wait_for_url(f"**/experiments/{key}")
    preview = page.inner_text("#assignment-preview")
    assert "sample_a" in preview and "sample_b" in preview
    assert "32" in preview  # SMB: A3, A4 and the 30 extras
    assert "2026" in page.inner_text("#planned-dates") and page.locator("#planned-dates .overdue").count() == 0
    shoot(page, screenshot, "experiments-draft")
    assert page.js_errors == []


def test_results_page_with_srm_banner_and_charts(page, live_server, lang, planted, screenshot):
    page.goto(f"{live_server}/experiments/{planted}")
    banner = page.locator("#srm-banner")
    assert banner.is_visible() and TEXT[lang]["srm"] in banner.inner_text() and "0.000161" in banner.inner_text()
    assert page.locator("#srm-banner").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(254, 242, 242)"
    assert charts_drawn(page, "#chart-1") == 1
    assert "+166.67%" in page.inner_text(".metric-table")
    page.click(".segments summary")
    # the metric chart and one per segment field (tier, industry, region), drawn once the details open;
    # segments too small for a variance in an arm have no effect and are left out of their chart
    charts_drawn(page)
    assert page.locator("[data-intervals][data-rendered='1'], [data-intervals].chart-empty").count() == 4
    assert page.locator("#chart-1-tier canvas").count() == 1
    assert "2,500" in page.inner_text("#roi")
    assert page.locator("#decision-form").is_visible()
    shoot(page, screenshot, "experiments-results")
    assert page.js_errors == []


def test_calculator(page, live_server, lang, screenshot):
    page.goto(f"{live_server}/experiments/calculator")
    assert TEXT[lang]["calc"] in page.inner_text("h1")
    charts_drawn(page)
    assert page.inner_text("#calculator-table .effect-cell") == "+30.00%"
    # htmx: editing a field re-renders the result in place
    page.locator("input[name=sum]").nth(1).fill("150")
    page.locator("input[name=sum]").nth(1).dispatch_event("change")
    page.wait_for_function("document.querySelector('#calculator-table .effect-cell').textContent.trim() === '+50.00%'")
    charts_drawn(page)
    assert page.locator("#calculator-chart canvas").count() == 1
    shoot(page, screenshot, "experiments-calculator")
    page.locator("input[name=sum]").nth(1).fill("1500")
    page.locator("input[name=sum]").nth(1).dispatch_event("change")
    page.wait_for_selector("#calculator-error")
    error = page.inner_text("#calculator-error")
    assert TEXT[lang]["cannot"] in error and "cannot exceed n" in error
    shoot(page, screenshot, "experiments-calculator-error")
    assert page.js_errors == []


def test_planner(page, live_server, lang, screenshot):
    page.goto(f"{live_server}/experiments/planner")
    assert TEXT[lang]["planner"] in page.inner_text("h1")
    assert page.inner_text("[data-kpi=per-arm]") == "3,839"
    assert TEXT[lang]["underpowered"] in page.inner_text("#planner-warnings")
    page.fill("input[name=arrivals_per_day]", "10")
    page.locator("input[name=arrivals_per_day]").dispatch_event("change")
    page.wait_for_selector("[data-kpi=duration]")
    assert "768" in page.inner_text("[data-kpi=duration]")
    shoot(page, screenshot, "experiments-planner")
    assert page.js_errors == []


def test_viewer_sees_no_edit_controls(login_as, live_server, planted):
    page = login_as("viewer")
    page.goto(f"{live_server}/experiments/{planted}")
    assert page.locator("#decision-form").count() == 0 and page.locator("#stop-button").count() == 0
    page.goto(f"{live_server}/experiments")
    assert page.locator("a[href='/experiments/new']").count() == 0


def test_overdue_then_decided_by_the_signed_in_user(page, live_server, lang, seeded_ws, screenshot):
    """A running experiment past its planned end is marked in the list; deciding it on its page
    records the signed-in admin, shown on the page and in the list."""
    from datetime import date, timedelta

    from b2bgrowth.experiments import service as registry
    from b2bgrowth.experiments.schemas import ExperimentCreate

    key = f"late-{lang.lower().replace('_', '-')}"
    registry.create_experiment(seeded_ws, ExperimentCreate.model_validate({
        "key": key, "name": "Pickup-station samples", "planned_start": "2026-01-05",
        "planned_end": (date.today() - timedelta(days=3)).isoformat(),
        "metrics": {"primary": [{"name": "converted", "events": ["trial_converted"]}]}}), by="ops")
    registry.start(seeded_ws, key)
    page.goto(f"{live_server}/experiments")
    row = page.locator(f"#experiment-list tr[data-key='{key}']")
    assert row.locator(".overdue").is_visible() and TEXT[lang]["overdue"] in row.inner_text()
    shoot(page, screenshot, "experiments-list-overdue")
    page.goto(f"{live_server}/experiments/{key}")
    assert TEXT[lang]["overdue"] in page.inner_text("#planned-dates")
    page.select_option("#decision-form select[name=decision]", "iterate")
    page.fill("#decision-form textarea[name=reason]", "Too few accounts converted in time; extend to two more regions")
    page.click("#decision-form button[type=submit]")
    page.wait_for_selector("#decision-meta")
    assert TEXT[lang]["by"] in page.inner_text("#decision-meta")
    assert page.locator("#planned-dates .overdue").count() == 0
    shoot(page, screenshot, "experiments-decided-by")
    page.goto(f"{live_server}/experiments")
    row = page.locator(f"#experiment-list tr[data-key='{key}']")
    assert TEXT[lang]["by"] in row.inner_text() and row.locator(".overdue").count() == 0
    assert page.js_errors == []


def test_sequential_toggle_on_the_results(page, live_server, lang, planted, screenshot):
    page.goto(f"{live_server}/experiments/{planted}")
    fixed = page.inner_text(".metric-table")
    page.check("#sequential-form input[name=sequential]")  # submits the form on change
    page.wait_for_url("**sequential=1**")
    assert TEXT[lang]["sequential"] in page.inner_text("#sequential-note")
    assert page.locator("#sequential-form input[name=sequential]").is_checked()
    charts_drawn(page, "#chart-1")
    shown = page.inner_text(".metric-table")
    assert "+166.67%" in shown and shown != fixed  # the same effect, a wider interval and a larger p
    screenshot(page, "experiments-sequential")
    assert page.js_errors == []
