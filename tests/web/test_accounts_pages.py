"""Accounts list and account page over the seeded company (numbers hand-computed in seed_company.py)."""

from __future__ import annotations

import re

from b2bgrowth.auth.security import mask_email, mask_personal, mask_phone, mask_wechat


def _rows(html: str) -> list[str]:
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td class="mono">([^<]+)</td>\s*<td><a', body)


def test_list_orders_by_current_mrr_and_shows_hand_computed_values(signed_in):
    html = signed_in("admin", lang="en").get("/accounts").text
    assert _rows(html) == ["A1", "A2", "A3", "A4"]
    assert "CN¥2,000" in html  # A1: 1,500 + 500
    assert "CN¥700" in html  # A2: 100 USD × 7.0; the 2099 row does not count yet
    assert "CN¥1,000" not in html and "CN¥2,700" not in html
    assert "4 accounts · page 1 of 1" in html


def test_search_matches_name_and_id_case_insensitively(signed_in):
    c = signed_in("admin")
    assert _rows(c.get("/accounts", params={"q": "northwind"}).text) == ["A2"]
    assert _rows(c.get("/accounts", params={"q": "云帆"}).text) == ["A4"]
    assert _rows(c.get("/accounts", params={"q": "a3"}).text) == ["A3"]
    assert "No accounts match" in c.get("/accounts", params={"q": "100%_"}, headers={"Accept-Language": "en"}).text


def test_filters_by_tier_type_and_region(signed_in):
    c = signed_in("ops")
    assert _rows(c.get("/accounts", params={"tier": "SMB"}).text) == ["A3", "A4"]
    assert _rows(c.get("/accounts", params={"type": "channel"}).text) == ["A2"]
    assert _rows(c.get("/accounts", params={"region": "华东"}).text) == ["A1", "A4"]
    assert _rows(c.get("/accounts", params={"region": "华东", "tier": "SMB"}).text) == ["A4"]


def test_htmx_search_returns_only_the_results_fragment(signed_in):
    c = signed_in("admin")
    fragment = c.get("/accounts", params={"q": "north"},
                     headers={"HX-Request": "true", "HX-Target": "accounts-results"}).text
    assert "<html" not in fragment and "Northwind Trading" in fragment


def test_pagination(seeded, signed_in):
    from b2bgrowth.accounts.models import Account
    with seeded.store.write(touched=["accounts"]) as s:
        for i in range(30):
            s.add(Account(account_id=f"X{i:03d}", name=f"Extra {i:03d}", type="direct"))
    c = signed_in("admin", lang="en")
    first = c.get("/accounts").text
    assert "34 accounts · page 1 of 2" in first and len(_rows(first)) == 25
    second = c.get("/accounts", params={"page": 2}).text
    assert len(_rows(second)) == 9 and "page 2 of 2" in second
    assert "page 2 of 2" in c.get("/accounts", params={"page": 99}).text  # clipped, not an error
    assert c.get("/accounts", params={"page": "abc"}).status_code == 422


def test_account_page_shows_firmographics_subscriptions_nps_and_children(signed_in):
    html = signed_in("admin", lang="en").get("/accounts/A1").text
    assert "华东精密制造有限公司" in html and "Firmographics" in html
    assert "CN¥2,000" in html and "CN¥24,000" in html  # MRR and ARR
    assert html.count('<td class="mono">S1</td>') == 2 and "S2" in html
    assert "报表很好用" in html
    # NPS of A1: one promoter (9), one detractor (6) → 100 × (1 − 1) / 2 = 0
    assert re.search(r'NPS</div><div class="kpi-value">0</div>', html)
    assert "杭州云帆科技" in html  # subsidiary
    assert "&lt;b&gt;filtering&lt;/b&gt;" in html  # comments are escaped
    assert "crm_id" in html and "SF-001" in html  # custom attributes


def test_unknown_account_is_a_404_page(signed_in):
    response = signed_in("admin", lang="en").get("/accounts/NOPE")
    assert response.status_code == 404
    assert "no account with id &#39;NOPE&#39;" in response.text and "Not found" in response.text


def test_contacts_are_masked_per_role(signed_in):
    admin = signed_in("admin").get("/accounts/A1").text
    assert "zhang.wei@hdjm.example.cn" in admin and "13812345678" in admin and "zhangwei_hd" in admin
    ops = signed_in("ops").get("/accounts/A1").text
    assert "zhang.wei@hdjm.example.cn" in ops and "13812345678" not in ops and "138****5678" in ops
    assert "zhangwei_hd" not in ops
    viewer = signed_in("viewer").get("/accounts/A1").text
    assert "zhang.wei@hdjm.example.cn" not in viewer and "zh***@hdjm.example.cn" in viewer
    assert "138****5678" in viewer and "zh***d" in viewer


def test_mask_helpers():
    assert mask_email("zhang.wei@hdjm.cn") == "zh***@hdjm.cn"
    assert mask_email("a@b.cn") == "a***@b.cn"
    assert mask_email(None) is None and mask_email("") == ""
    assert mask_phone("13812345678") == "138****5678"
    assert mask_phone("+86 139 8765 4321") == "+86 1** **** 4321"
    assert mask_phone("12345") == "*****"
    assert mask_wechat("alicechen") == "al***n"
    assert mask_wechat("ab") == "**"
    record = {"name": "张伟", "email": "z@x.cn", "phone": "13812345678"}
    assert mask_personal(record, "admin") == record
    assert mask_personal(record, "viewer") == {"name": "张伟", "email": "z***@x.cn", "phone": "138****5678"}
    assert record["phone"] == "13812345678"  # the input is not changed


def test_account_page_draws_the_mrr_history_when_the_revenue_module_gives_one(signed_in, monkeypatch):
    import b2bgrowth.revenue.history as revenue_history  # the revenue panel's source (was accounts.web)

    history = [{"date": "2023-01-01", "mrr": 1000.0}, {"date": "2024-01-01", "mrr": 1500.0}]
    monkeypatch.setattr(revenue_history, "mrr_history_until", lambda ws, account_id, today=None: history)
    html = signed_in("admin").get("/accounts/A1").text
    assert 'id="mrr-history"' in html
    assert '[{"date": "2023-01-01", "mrr": 1000.0}, {"date": "2024-01-01", "mrr": 1500.0}]' in html


def test_mrr_history_stops_at_today_and_hides_scheduled_ends(ws):
    from datetime import date

    from b2bgrowth.accounts.models import Account
    from b2bgrowth.revenue.history import mrr_history_until as mrr_history  # moved from accounts.web
    from b2bgrowth.revenue.models import Subscription

    with ws.store.write(touched=["accounts", "subscriptions"]) as s:
        s.add(Account(account_id="H1", name="History Co", type="direct"))
        s.add(Subscription(subscription_id="H-1", account_id="H1", product="P", mrr=100, currency="CNY",
                           start_date=date(2024, 1, 1), end_date=date(2024, 7, 1)))
        s.add(Subscription(subscription_id="H-1", account_id="H1", product="P", mrr=250, currency="CNY",
                           start_date=date(2024, 7, 1), end_date=date(2025, 1, 1)))
    # On 2024-09-30 the term ending 2025-01-01 has not ended yet: the line stays at 250 until today.
    assert mrr_history(ws, "H1", today=date(2024, 9, 30)) == [
        {"date": "2024-01-01", "mrr": 100.0},
        {"date": "2024-07-01", "mrr": 250.0},
        {"date": "2024-09-30", "mrr": 250.0},
    ]
    # After the end, the drop to 0 is history.
    assert mrr_history(ws, "H1", today=date(2025, 1, 1))[-1] == {"date": "2025-01-01", "mrr": 0.0}


def test_account_panels_from_plugins_load_their_own_fragments(seeded, monkeypatch):
    """A plugin adds a panel to the account page the way a third party would; the page holds a
    card that fetches the plugin's fragment (HTMX), only for the roles the panel names."""
    import sys
    import types

    from fastapi import APIRouter
    from fastapi.responses import HTMLResponse
    from web_helpers import sign_in

    from b2bgrowth.web.app import create_app

    router = APIRouter()

    @router.get("/third-party/accounts/{account_id}/notes")
    def notes(account_id: str):
        return HTMLResponse(f"<p>notes for {account_id}</p>")

    def register_web(web):
        web.add_router(router)
        web.add_account_panel("notes", "Notes", "/third-party/accounts/{account_id}/notes", order=5)
        web.add_account_panel("secret", "Secret", "/third-party/accounts/{account_id}/notes", roles=("admin",))

    from b2bgrowth import capabilities
    from b2bgrowth.contract import Capability

    builtins = capabilities.declared()
    third_party = Capability(name="third_party_notes", pages=("web_test_panels:register_web",))
    monkeypatch.setitem(sys.modules, "web_test_panels", types.SimpleNamespace(register_web=register_web))
    monkeypatch.setattr(capabilities, "declared", lambda: (*builtins, third_party))
    app = create_app(seeded)
    from fastapi.testclient import TestClient

    with TestClient(app) as admin, TestClient(app) as viewer:
        sign_in(admin, "admin")
        sign_in(viewer, "viewer")
        html = admin.get("/accounts/A1").text
        assert 'id="panel-notes"' in html and 'hx-get="/third-party/accounts/A1/notes"' in html
        assert 'id="panel-secret"' in html
        assert admin.get("/third-party/accounts/A1/notes").text == "<p>notes for A1</p>"
        assert 'id="panel-secret"' not in viewer.get("/accounts/A1").text  # admin-only panel


def test_two_panels_with_one_key_are_refused():
    import pytest

    from b2bgrowth.web.shell import WebRegistry

    web = WebRegistry()
    web.add_account_panel("usage", "Usage", "/a/{account_id}")
    with pytest.raises(ValueError, match="'usage' is already registered"):
        web.add_account_panel("usage", "Usage again", "/b/{account_id}")
