"""Languages: Accept-Language, the `lang` switch, Babel formatting, catalog consistency."""

from __future__ import annotations

from datetime import date

import pytest

from b2bgrowth import i18n
from b2bgrowth.i18n import catalog


def test_catalogs_are_compiled_and_every_msgid_has_a_chinese_translation():
    assert catalog.problems() == []


def test_the_compiled_catalog_is_compared_by_meaning_not_bytes():
    """Another Babel writes other bytes for the same catalog (issue 19): equal meaning passes,
    a changed, missing or extra translation does not."""
    po = catalog.read_catalog("zh_CN")
    meaning = catalog.translated_messages(po)
    assert catalog.compiled_messages(catalog.mo_path("zh_CN").read_bytes()) == meaning
    changed = catalog.read_catalog("zh_CN")
    changed["Accounts"].string = "账户"
    assert catalog.compiled_messages(catalog.compiled_bytes(changed)) != meaning
    assert catalog.compiled_messages(catalog.compiled_bytes(changed))[(None, "Accounts")] == "账户"

    missing = catalog.read_catalog("zh_CN")
    missing["Accounts"].string = ""
    assert (None, "Accounts") not in catalog.compiled_messages(catalog.compiled_bytes(missing))


def test_a_stale_compiled_catalog_is_a_problem(tmp_path, monkeypatch):
    stale = catalog.read_catalog("zh_CN")
    stale["Accounts"].string = "旧译文"
    (tmp_path / "messages.mo").write_bytes(catalog.compiled_bytes(stale))
    real_mo_path = catalog.mo_path
    monkeypatch.setattr(catalog, "mo_path", lambda lang: tmp_path / "messages.mo" if lang == "zh_CN" else real_mo_path(lang))
    found = catalog.problems()
    assert len(found) == 1 and "is not the compiled messages.po" in found[0]


@pytest.mark.parametrize("header,expected", [
    ("en-US,en;q=0.9,zh-CN;q=0.8", "en"),
    ("zh-CN,zh;q=0.9,en;q=0.8", "zh_CN"),
    ("fr-FR, en;q=0.5", "en"),
    ("zh-TW", "zh_CN"),
    ("de", "zh_CN"),
    ("en;q=0.2, zh;q=0.9", "zh_CN"),
    ("", "zh_CN"),
])
def test_language_follows_accept_language(header, expected):
    assert i18n.negotiate(None, header) == expected


def test_the_lang_cookie_beats_the_browser():
    assert i18n.negotiate("en", "zh-CN") == "en"
    assert i18n.negotiate("zh-CN", "en") == "zh_CN"
    assert i18n.negotiate("klingon", "en") == "en"


def test_numbers_and_dates_follow_the_language():
    token = i18n.current_language.set("zh_CN")
    try:
        assert i18n.format_date(date(2024, 3, 5)) == "2024年3月5日"
        assert i18n.format_money(12345.6, "CNY") == "¥12,346"
        assert i18n.format_percent(0.1234) == "12.3%"
        assert i18n.gettext("Accounts") == "客户"
    finally:
        i18n.current_language.reset(token)
    token = i18n.current_language.set("en")
    try:
        assert i18n.format_date(date(2024, 3, 5)) == "Mar 5, 2024"
        assert i18n.format_money(12345.6, "CNY") == "CN¥12,346"
        assert i18n.gettext("Accounts") == "Accounts"
    finally:
        i18n.current_language.reset(token)


def test_pages_follow_the_browser_language(signed_in):
    c = signed_in("admin")
    zh = c.get("/accounts", headers={"Accept-Language": "zh-CN,zh;q=0.9"})
    assert '<html lang="zh-CN">' in zh.text and "当前 MRR" in zh.text and "退出" in zh.text
    en = c.get("/accounts", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert '<html lang="en">' in en.text and "Current MRR" in en.text and "Sign out" in en.text


def test_the_switch_link_sets_the_lang_cookie_and_returns(signed_in):
    c = signed_in("admin")
    page = c.get("/accounts", headers={"Accept-Language": "zh-CN"})
    assert 'href="/lang/en?next=/accounts"' in page.text
    switched = c.get("/lang/en?next=/accounts/A1", follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/accounts/A1"
    assert c.cookies.get("lang") == "en"
    assert "Firmographics" in c.get("/accounts/A1", headers={"Accept-Language": "zh-CN"}).text
    c.get("/lang/zh_CN")
    assert "企业信息" in c.get("/accounts/A1", headers={"Accept-Language": "en"}).text


def test_switch_refuses_to_redirect_off_site(client):
    response = client.get("/lang/en?next=https://evil.example.com", follow_redirects=False)
    assert response.headers["location"] == "/"


def test_login_page_is_translated(client):
    assert "登录" in client.get("/login", headers={"Accept-Language": "zh-CN"}).text
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "en"}).text



def test_python_side_gettext_follows_the_request_language(app):
    """Handlers (sync and async) may call i18n.gettext themselves: the shell sets the language."""
    from fastapi.testclient import TestClient

    def sync_probe():
        return {"text": i18n.gettext("Accounts")}

    async def async_probe():
        return {"text": i18n.gettext("Accounts")}

    app.add_api_route("/_probe/sync", sync_probe)
    app.add_api_route("/_probe/async", async_probe)
    client = TestClient(app)
    for path in ("/_probe/sync", "/_probe/async"):
        assert client.get(path, headers={"Accept-Language": "en"}).json() == {"text": "Accounts"}
        assert client.get(path, headers={"Accept-Language": "zh-CN"}).json() == {"text": "客户"}
        assert client.get(path, headers={"Accept-Language": "zh-CN", "Cookie": "lang=en"}).json() == {"text": "Accounts"}


def test_translation_files_fill_plural_messages_whole(tmp_path, monkeypatch):
    """A TSV line for a plural message sets every plural form to the text, not one character each."""
    import shutil

    from babel.messages.pofile import read_po

    from b2bgrowth.i18n import catalog

    copy = tmp_path / "messages.po"
    shutil.copy(catalog.po_path("zh_CN"), copy)
    monkeypatch.setattr(catalog, "po_path", lambda lang: copy)
    monkeypatch.setattr(catalog, "mo_path", lambda lang: tmp_path / "messages.mo")
    plural = next(m for m in catalog.read_catalog("zh_CN") if m.pluralizable)
    tsv = tmp_path / "t.tsv"
    tsv.write_text(f"{plural.id[0]}\t译文 %(num)s 条\n", encoding="utf-8")
    assert catalog.apply_translations(tsv, "zh_CN") == 1
    with copy.open("rb") as fh:
        written = read_po(fh, locale="zh_CN").get(plural.id[0])
    assert written.string == ("译文 %(num)s 条",)  # zh_CN has one plural form
    assert (tmp_path / "messages.mo").exists()
