"""NPS survey pages in Chromium: admin pages in zh_CN and en, the public page on a phone (390×844).

The surveys and answers made here are removed afterwards: the browser workspace is shared, and
other pages (NPS, dashboard) count responses.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import delete

from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.voc.survey_models import Survey, SurveyRecipient
from b2bgrowth.voc.surveys import service

PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module", autouse=True)
def clean_surveys(seeded_ws):
    yield
    with seeded_ws.store.write(touched=["nps_responses", "nps_surveys", "nps_survey_recipients"]) as s:
        s.execute(delete(NpsResponse).where(NpsResponse.response_id.like("survey-%")))
        s.execute(delete(SurveyRecipient))
        s.execute(delete(Survey))


def test_create_survey_choose_recipients_and_detail(page, live_server, lang, screenshot):
    page.goto(f"{live_server}/surveys/new")
    page.fill("input[name=name]", f"KA pulse {lang}")
    page.fill("input[name=survey_id]", f"ka-{lang}")
    page.check("input[name=tier][value=KA]")
    # The live count follows the filter (htmx): KA = A1's two contacts in the seeded company.
    page.wait_for_function("document.getElementById('preview-count').textContent.trim() === '2'")
    screenshot(page, "survey-new")
    page.click("#create-survey")
    page.wait_for_url(re.compile(rf".*/surveys/ka-{lang}$"))
    assert page.locator("#recipient-table tbody tr").count() == 2
    link = page.locator("#recipient-table input[readonly]").first.input_value()
    assert re.match(rf"{live_server}/s/[A-Za-z0-9_-]{{32}}$", link)
    page.wait_for_function("document.querySelector('#chart-tier canvas, #chart-tier svg') !== null")
    expected = {"zh_CN": "回复率", "en": "Response rate"}[lang]
    assert expected in page.locator("#survey-kpis").inner_text()
    screenshot(page, "survey-detail")
    page.goto(f"{live_server}/surveys")
    assert page.locator("#survey-table").inner_text().count(f"KA pulse {lang}") == 1
    screenshot(page, "survey-list")
    page.goto(f"{live_server}/surveys/verbatims?q=%E6%85%A2")        # 慢
    screenshot(page, "survey-verbatims")
    assert page.js_errors == []


def test_public_page_on_a_phone(browser, seeded_ws, live_server, lang, screenshot):
    survey_id = f"phone-{lang}"
    service.create_survey(seeded_ws, "Phone check", survey_id=survey_id)
    service.add_recipients(seeded_ws, survey_id, {"tier": "KA"})
    service.set_status(seeded_ws, survey_id, "open")
    token = next(r["token"] for r in service.recipients(seeded_ws, survey_id) if r["contact_id"] == "C1")
    locale = {"zh_CN": "zh-CN", "en": "en-US"}[lang]
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2,
                                  locale=locale, extra_http_headers={"Accept-Language": locale})
    try:
        phone = context.new_page()
        errors: list[str] = []
        phone.on("pageerror", lambda exc: errors.append(str(exc)))
        phone.goto(f"{live_server}/s/{token}")
        question = {"zh_CN": service.DEFAULT_QUESTION_ZH, "en": service.DEFAULT_QUESTION_EN}[lang]
        assert phone.locator("#question").inner_text() == question
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]   # no sideways scrolling
        box = phone.locator("label[for=score-9]").bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44                                  # big tap targets
        screenshot(phone, "survey-public-phone")
        phone.tap("label[for=score-9]")
        phone.fill("#comment", {"zh_CN": "上手很快", "en": "Quick to learn"}[lang])
        phone.tap("button[type=submit]")
        phone.wait_for_selector("#survey-message")
        assert {"zh_CN": "感谢", "en": "Thank you"}[lang] in phone.locator("#survey-message").inner_text()
        screenshot(phone, "survey-public-thanks")
        # The switch changes the language; the previous answer is pre-filled.
        other = "en" if lang == "zh_CN" else "zh_CN"
        phone.goto(f"{live_server}/s/{token}?lang={other}")
        assert phone.locator("#question").inner_text() == (
            service.DEFAULT_QUESTION_EN if other == "en" else service.DEFAULT_QUESTION_ZH)
        assert phone.locator("#score-9").is_checked()
        service.set_status(seeded_ws, survey_id, "closed")
        phone.goto(f"{live_server}/s/{token}")
        assert phone.locator("form").count() == 0
        screenshot(phone, "survey-public-closed")
        assert phone.goto(f"{live_server}/s/no-such-token").status == 404
        assert errors == []
    finally:
        context.close()
    row = next(r for r in service.recipients(seeded_ws, survey_id) if r["contact_id"] == "C1")
    assert row["status"] == "responded" and row["score"] == 9
