"""Headless-Chromium fixtures, reusable by every browser test.

  seeded_ws    session-scoped Workspace (SQLite, temp dir) with tests/web/seed_company.py's company
               and one user per role (PASSWORDS: admin/ops/viewer/csm)
  live_server  base URL of uvicorn serving create_app(seeded_ws) on 127.0.0.1:<free port>, in a thread
  browser      one Chromium for the session (/usr/bin/chromium)
  lang         "zh_CN" / "en" — every test using `page` runs in both
  page         a new browser context in that language, already signed in as admin, on the home page
  login_as     login_as(page, "viewer") signs a fresh context in as another role
  screenshot   screenshot(page, "name") → test-artifacts/screenshots/<name>-<lang>.png (full page)
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LOCALES = {"zh_CN": "zh-CN", "en": "en-US"}

sys.path.insert(0, str(ROOT / "tests" / "web"))
from seed_company import PASSWORDS, seed_company, seed_users  # noqa: E402


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def seeded_ws(tmp_path_factory):
    from b2bgrowth.settings import Settings
    from b2bgrowth.workspace import Workspace

    data_dir = tmp_path_factory.mktemp("browser-data")
    ws = Workspace(Settings(data_dir=data_dir, secret_key="browser-test-secret-key-0123"))
    seed_users(ws)
    seed_company(ws, extra_accounts=30)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def live_server(seeded_ws):
    from live_servers import serving

    from b2bgrowth.web.app import create_app

    with serving(create_app(seeded_ws), name="uvicorn-live-server") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(LOCALES), ids=list(LOCALES))
def lang(request) -> str:
    return request.param


def _sign_in(page, base_url: str, login: str) -> None:
    page.goto(f"{base_url}/login")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORDS[login])
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


@pytest.fixture
def login_as(browser, live_server, lang):
    contexts = []

    def make(login: str):
        context = browser.new_context(locale=LOCALES[lang], viewport={"width": 1360, "height": 860},
                                      extra_http_headers={"Accept-Language": LOCALES[lang]})
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # tests assert that pages raise no JavaScript errors
        _sign_in(page, live_server, login)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(login_as):
    return login_as("admin")


@pytest.fixture
def screenshot(lang):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}-{lang}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="module")
def leads_data(seeded_ws):
    """The lead pages' data (tests/web_leads/leads_seed.py) in the shared browser store, once."""
    from b2bgrowth.leads.models import Lead

    sys.path.insert(0, str(ROOT / "tests" / "web_leads"))
    from leads_seed import seed_leads

    with seeded_ws.store.read() as session:
        present = session.get(Lead, "L1") is not None
    if not present:
        seed_leads(seeded_ws)
    return seeded_ws
