"""Survey pages, the public /s/<token> page and the JSON API over TestClient, on both stores."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from seed import tokens
from sqlalchemy import select

from b2bgrowth.voc.models import NpsResponse
from b2bgrowth.voc.surveys import service
from b2bgrowth.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from seed_company import seed_users  # noqa: E402

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def app(company):
    seed_users(company)
    service.create_survey(company, "Q1 NPS", survey_id="q1", question_en="How likely to recommend Acme?",
                          question_zh="您会推荐 Acme 吗？")
    service.add_recipients(company, "q1", {"tier": ["KA", "CA"]})
    service.set_status(company, "q1", "open")
    return create_app(company)


@pytest.fixture
def anon(anonymous):
    return anonymous  # tests/conftest.py


@pytest.fixture
def as_role(signed_in):
    return signed_in  # tests/conftest.py: as_role("csm", "zh_CN") signs in through /login


def answers(ws):
    with ws.store.read() as s:
        return [(r.contact_id, r.score, r.comment) for r in s.scalars(select(NpsResponse).order_by(NpsResponse.at))]


def test_public_page_language_preference_accept_language_and_switch(anon, company):
    links = tokens(company, "q1")
    zh = anon.get(f"/s/{links['C1']}", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert zh.status_code == 200 and "您会推荐 Acme 吗？" in zh.text and 'lang="zh-CN"' in zh.text
    assert 'class="sidebar' not in zh.text and "<script" not in zh.text      # no app chrome, no scripts
    assert "How likely to recommend Acme?" in anon.get(f"/s/{links['C1']}", headers={"accept-language": "en"}).text
    # C2 prefers English (contact attribute): wins over a Chinese browser; the switch (?lang=) wins over both.
    assert "How likely to recommend Acme?" in anon.get(f"/s/{links['C2']}", headers={"accept-language": "zh-CN"}).text
    assert "您会推荐 Acme 吗？" in anon.get(f"/s/{links['C2']}?lang=zh_CN").text


def test_wrong_token_is_404_and_nothing_leaks(anon):
    response = anon.get("/s/not-a-real-token")
    assert response.status_code == 404 and "Q1 NPS" not in response.text


def test_public_answer_needs_only_the_token_and_the_form_nonce(anon, company):
    token = tokens(company, "q1")["C4"]
    page = anon.get(f"/s/{token}", headers={"accept-language": "en"})
    csrf = CSRF.search(page.text).group(1)
    assert anon.post(f"/s/{token}", data={"score": "9", "comment": "x"}).status_code == 403      # no nonce
    bad = anon.post(f"/s/{token}", data={"score": "11", "csrf_token": csrf, "lang": "en"})
    assert bad.status_code == 400 and "choose a score from 0 to 10" in bad.text
    ok = anon.post(f"/s/{token}", data={"score": "9", "comment": "顺畅", "csrf_token": csrf, "lang": "en"})
    assert ok.status_code == 200 and "Thank you" in ok.text
    again = anon.post(f"/s/{token}", data={"score": "4", "comment": "改主意了", "csrf_token": csrf, "lang": "en"})
    assert again.status_code == 200
    assert answers(company) == [("C4", 4, "改主意了")]                         # one answer per token, updated
    assert 'value="4" checked' in anon.get(f"/s/{token}").text                 # pre-filled on return
    assert anon.post(f"/s/{'x' * 40}", data={"score": "9", "csrf_token": csrf}).status_code == 404


def test_closed_survey_shows_a_friendly_message(anon, company):
    token = tokens(company, "q1")["C1"]
    csrf = CSRF.search(anon.get(f"/s/{token}").text).group(1)
    service.set_status(company, "q1", "closed")
    page = anon.get(f"/s/{token}", headers={"accept-language": "en"})
    assert page.status_code == 200 and "This survey has closed" in page.text and "<form" not in page.text
    late = anon.post(f"/s/{token}", data={"score": "9", "csrf_token": csrf, "lang": "en"})
    assert late.status_code == 409 and "This survey has closed" in late.text
    assert answers(company) == []


def test_throttle_per_token(anon, company, monkeypatch):
    from b2bgrowth.voc.surveys import public

    monkeypatch.setattr(public, "POSTS_PER_MINUTE", 2)
    token = tokens(company, "q1")["C5"]
    csrf = CSRF.search(anon.get(f"/s/{token}").text).group(1)
    codes = [anon.post(f"/s/{token}", data={"score": "8", "csrf_token": csrf}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]


def test_pages_for_admin_in_both_languages(as_role, company):
    for lang, words in (("en", ["NPS surveys", "Response rate"]), ("zh_CN", ["NPS 调查", "回复率"])):
        client = as_role("admin", lang)
        listing = client.get("/surveys")
        assert listing.status_code == 200 and "Q1 NPS" in listing.text and all(w in listing.text for w in words)
        detail = client.get("/surveys/q1")
        assert detail.status_code == 200 and "/s/" + tokens(company, "q1")["C1"] in detail.text
        assert client.get("/surveys/new").status_code == 200
        assert client.get("/surveys/verbatims?q=导出").status_code == 200
    assert client.get("/surveys/nope").status_code == 404


def test_create_via_form_and_preview(as_role, company):
    client = as_role("csm")
    preview = client.get("/surveys/preview?tier=SMB&role=user")
    assert preview.status_code == 200 and '<strong id="preview-count">1</strong>' in preview.text   # C6
    assert client.get("/surveys/preview?tier=XX").status_code == 400
    csrf = CSRF.search(client.get("/surveys/new").text).group(1)
    created = client.post("/surveys/new", data={"name": "SMB pulse", "survey_id": "smb", "tier": "SMB", "open": "1",
                                                "csrf_token": csrf}, follow_redirects=False)
    assert created.status_code == 303 and created.headers["location"] == "/surveys/smb"
    assert sorted(tokens(company, "smb")) == ["C6", "C7"]
    bad = client.post("/surveys/new", data={"name": "x", "closes_on": "2025-01-01", "opens_on": "2025-02-01",
                                            "csrf_token": csrf})
    assert bad.status_code == 400 and "is before opens_on" in bad.text
    reminded = client.post("/surveys/smb/remind", data={"after_days": "0", "csrf_token": csrf}, follow_redirects=False)
    assert reminded.status_code == 303 and "reminded=2" in reminded.headers["location"]
    csv_text = client.get("/surveys/smb/links.csv").text
    assert csv_text.count("/s/") == 2 and "contact_id" in csv_text


def test_viewer_reads_but_never_writes_nor_sees_links(as_role, company):
    viewer = as_role("viewer")
    detail = viewer.get("/surveys/q1")
    assert detail.status_code == 200 and "/s/" not in detail.text
    csrf = CSRF.search(viewer.get("/surveys").text or "") or CSRF.search(detail.text)
    token = csrf.group(1) if csrf else ""
    assert viewer.post("/surveys/new", data={"name": "x", "csrf_token": token}).status_code == 403
    assert viewer.post("/surveys/q1/status", data={"status": "closed", "csrf_token": token}).status_code == 403
    assert viewer.get("/surveys/q1/links.csv").status_code == 403
    rows = viewer.get("/api/v1/surveys/q1/recipients").json()["recipients"]
    assert rows and all("token" not in r and "link" not in r for r in rows)
    assert "***" in rows[0]["email"]                                           # personal fields masked


def test_api_answers_4xx_with_reasons(as_role, anon, company):
    admin = as_role("admin")
    headers = {"x-csrf-token": CSRF.search(admin.get("/surveys").text).group(1)}
    assert anon.get("/api/v1/surveys").status_code == 401
    created = admin.post("/api/v1/surveys", json={"name": "API", "survey_id": "api", "filters": {"role": ["user"]},
                                                  "open": True}, headers=headers)
    assert created.status_code == 201 and created.json()["recipients"]["added"] == 4     # C2, C5, C6, C8
    bad_filter = admin.post("/api/v1/surveys/api/recipients", json={"tier": ["XX"]}, headers=headers)
    assert bad_filter.status_code == 400 and "filter tier: 'XX'" in bad_filter.json()["detail"]
    assert admin.get("/api/v1/surveys/nope").status_code == 404
    assert admin.post("/api/v1/surveys", json={"nme": "typo"}, headers=headers).status_code == 422
    bad_status = admin.post("/api/v1/surveys/api/status", json={"status": "draft"}, headers=headers)
    assert bad_status.status_code == 400 and "cannot become draft" in bad_status.json()["detail"]
    assert admin.post("/api/v1/surveys/api/remind", json={"after_days": 0}, headers=headers).json()["recorded"] is True
    breakdown = admin.get("/api/v1/reports/nps-breakdown?by=colour")
    assert breakdown.status_code == 422
    assert admin.get("/api/v1/reports/survey?survey=nope").status_code == 400


def test_page_actions_answer_404_for_an_unknown_survey_and_400_for_a_refused_change(as_role, company):
    client = as_role("csm")
    csrf = CSRF.search(client.get("/surveys/new").text).group(1)
    assert client.post("/surveys/nope/status", data={"status": "closed", "csrf_token": csrf}).status_code == 404
    assert client.post("/surveys/nope/recipients", data={"tier": "SMB", "csrf_token": csrf}).status_code == 404
    assert client.get("/surveys/nope/links.csv").status_code == 404
    refused = client.post("/surveys/q1/status", data={"status": "draft", "csrf_token": csrf})
    assert refused.status_code == 400 and "cannot become draft" in refused.text
