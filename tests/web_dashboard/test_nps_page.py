"""/nps: NPS by period and segment from the "nps" report, responses with verbatims, text search."""

from __future__ import annotations

import re

from dashboard_company import RANGE


def response_ids(page: str) -> list[str]:
    table = page[page.index('id="responses-table"'):] if 'id="responses-table"' in page else ""
    return re.findall(r'href="/accounts/([^"]+)"', table)


def test_responses_with_comments_newest_first(signed_in):
    page = signed_in("admin", "en").get("/nps", params=RANGE).text
    assert response_ids(page) == ["B3", "B1", "B2"]
    assert "太贵了" in page and "Great reports, 报表很好用" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # verbatims are escaped
    assert "3 responses" in page


def test_search_matches_comment_and_account_name(signed_in):
    client = signed_in("admin", "en")
    assert response_ids(client.get("/nps", params={**RANGE, "q": "SLOW"}).text) == ["B3"]
    assert response_ids(client.get("/nps", params={**RANGE, "q": "报表"}).text) == ["B1"]
    assert response_ids(client.get("/nps", params={**RANGE, "q": "beta"}).text) == ["B2"]
    assert "No responses match." in client.get("/nps", params={**RANGE, "q": "100%_"}).text


def test_score_class_filter(signed_in):
    client = signed_in("admin", "en")
    assert response_ids(client.get("/nps", params={**RANGE, "score_class": "detractors"}).text) == ["B2"]


def test_nps_by_segment_table_uses_the_report(signed_in):
    page = signed_in("admin", "en").get("/nps", params={**RANGE, "segment": "tier"}).text
    table = page[page.index('id="nps-segments"'):page.index('id="nps-responses"')]
    assert "2024-03" in table
    # March: KA = one promoter → 100; SMB = one passive → 0. February: SMB one detractor → −100.
    ka = re.search(r"<tr><td>KA</td>(.*?)</tr>", table, re.S).group(1)
    smb = re.search(r"<tr><td>SMB</td>(.*?)</tr>", table, re.S).group(1)
    assert re.findall(r'nps-value[^>]*>([^<]+)<', ka) == ["100.0"]
    assert re.findall(r'nps-value[^>]*>([^<]+)<', smb) == ["-100.0", "0.0"]


def test_chinese_labels(signed_in):
    page = signed_in("admin", "zh_CN").get("/nps", params=RANGE).text
    assert "推荐者" in page and "贬损者" in page
    assert "Promoters" not in page
