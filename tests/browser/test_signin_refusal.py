"""The login page after too many failed sign-ins, in Chromium, in zh_CN and en.

This module serves its own app (its own in-memory sign-in limits) so the failures it makes
never lock out the shared live_server the other browser tests sign in to.
"""

from __future__ import annotations

import pytest

# (This file is not tests/browser/test_signin_limits.py: tests/web/test_signin_limits.py has that
# name, and the two folders are not packages, so pytest would refuse two modules of one name.)
LOCALES = {"zh_CN": "zh-CN", "en": "en-US"}  # as conftest.py

MESSAGES = {
    "zh_CN": "登录失败次数过多，请 15 分钟后再试。",
    "en": "Too many failed sign-ins. Try again in 15 minutes.",
}
WRONG = {"zh_CN": "账号或密码错误。", "en": "Wrong login or password."}


@pytest.fixture(scope="module")
def limited_server(seeded_ws):
    from live_servers import serving

    from b2bgrowth.auth.throttle import SignInLimits
    from b2bgrowth.web.app import create_app

    app = create_app(seeded_ws)
    clock = [0.0]  # frozen: every failure at t = 0, so the wait shown is exactly 900 s = 15 minutes
    app.state.signin_limits = SignInLimits(clock=lambda: clock[0])
    with serving(app, name="uvicorn-signin-limits") as url:
        yield url


def test_the_login_page_shows_the_refusal(browser, limited_server, lang, screenshot):
    context = browser.new_context(locale=LOCALES[lang], viewport={"width": 1100, "height": 760},
                                  extra_http_headers={"Accept-Language": LOCALES[lang]})
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        login = f"admin-{lang}"  # a name per language, so the two runs count separately (5 + 5 < 20 per address)
        for n in range(5):
            page.goto(f"{limited_server}/login")
            page.fill("input[name=login]", login)
            page.fill("input[name=password]", f"wrong-password-{n}")
            with page.expect_response(lambda r: r.request.method == "POST") as answer:
                page.click("button[type=submit]")
            assert answer.value.status == 401, n
            assert WRONG[lang] in page.locator(".alert-error").inner_text()
        page.fill("input[name=password]", "anything-at-all")
        with page.expect_response(lambda r: r.request.method == "POST") as answer:
            page.click("button[type=submit]")
        assert answer.value.status == 429
        assert answer.value.headers["retry-after"] == "900"
        alert = page.locator(".alert-error")
        assert alert.inner_text().strip() == MESSAGES[lang]
        assert page.input_value("input[name=login]") == login  # the name is kept in the form
        screenshot(page, "signin-refused")
    finally:
        context.close()
