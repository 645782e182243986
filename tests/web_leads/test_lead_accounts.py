"""The lead page's account card (link / unlink / suggestions) and the inbox's "existing customers
only" filter and account column (round 3), on both stores, over leads_seed.py's dataset."""

from __future__ import annotations

import re
from datetime import date, timedelta

from page_helpers import csrf
from sqlalchemy import select

from b2bgrowth.leads.models import Lead
from b2bgrowth.revenue.models import Subscription

ROW = re.compile(r'<tr data-lead-id="([^"]+)"')


def listed(html: str) -> set[str]:
    return set(ROW.findall(html))


def account_of(ws, lead_id: str):
    with ws.store.read() as session:
        return session.execute(select(Lead.account_id).where(Lead.lead_id == lead_id)).scalar_one()


def pay(ws, account_id: str) -> None:
    """A subscription row active today (start 30 days ago, no end, MRR > 0): the account pays now."""
    with ws.store.write(touched=["subscriptions"]) as session:
        session.add(Subscription(subscription_id=f"s-{account_id}", account_id=account_id, mrr=500, currency="CNY",
                                 start_date=date.today() - timedelta(days=30)))


def test_lead_page_suggests_links_and_unlinks(ws, signed_in):
    client = signed_in("sales")
    page = client.get("/leads/L3").text
    # L3's company "Beta Retail Co., Ltd." normalises to "betaretail", as account LA2 "Beta Retail" does
    assert 'id="lead-account-none"' in page and 'data-suggest="LA2"' in page and 'data-suggest="LA1"' not in page
    token = csrf(client, "/leads/L3")
    done = client.post("/leads/L3/account", data={"csrf_token": token, "account_id": "LA2"}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/leads/L3"
    assert account_of(ws, "L3") == "LA2"
    page = client.get("/leads/L3").text
    assert 'id="lead-account-link"' in page and "Beta Retail" in page and 'id="lead-account-tier">KA<' in page
    assert "not paying now" in page and 'id="existing-customer-badge"' not in page
    assert 'data-suggest="LA2"' not in page  # the linked account is not suggested again
    pay(ws, "LA2")
    page = client.get("/leads/L3").text
    assert 'id="existing-customer-badge"' in page
    unlinked = client.post("/leads/L3/account/unlink", data={"csrf_token": token}, follow_redirects=False)
    assert unlinked.status_code == 303 and account_of(ws, "L3") is None


def test_link_form_errors_roles_and_csrf(ws, signed_in):
    client = signed_in("ops")
    token = csrf(client, "/leads/L4")
    unknown = client.post("/leads/L4/account", data={"csrf_token": token, "account_id": "NOPE"})
    assert unknown.status_code == 422 and "account_id: account NOPE does not exist" in unknown.text
    empty = client.post("/leads/L4/account", data={"csrf_token": token, "account_id": " "})
    assert empty.status_code == 422 and "account_id: an account is required" in empty.text
    assert client.post("/leads/L4/account", data={"account_id": "LA1"}).status_code in (400, 403)  # no CSRF token
    assert client.post("/leads/ZZ/account", data={"csrf_token": token, "account_id": "LA1"}).status_code == 404
    assert account_of(ws, "L4") is None
    for role in ("viewer", "csm"):
        other = signed_in(role)
        assert 'id="account-link-form"' not in other.get("/leads/L4").text
        assert other.post("/leads/L4/account", data={"csrf_token": csrf(other, "/leads/L4"),
                                                     "account_id": "LA1"}).status_code == 403
    zh = signed_in("sales", "zh_CN")
    bad = zh.post("/leads/L4/account", data={"csrf_token": csrf(zh, "/leads/L4"), "account_id": "NOPE"})
    assert bad.status_code == 422 and "NOPE" in bad.text and "does not exist" not in bad.text  # translated


def test_inbox_existing_customers_only_and_the_account_column(ws, signed_in):
    # L1 (merged with L2) → LA1 not paying; L3 → LA2 paying; L4 → LA2 paying; L6 no account
    with ws.store.write(touched=["leads"]) as session:
        for lead_id, account_id in (("L1", "LA1"), ("L3", "LA2"), ("L4", "LA2")):
            session.get(Lead, lead_id).account_id = account_id
    pay(ws, "LA2")
    client = signed_in("sales")
    assert listed(client.get("/leads").text) == {"L1", "L3", "L4", "L5", "L6"}
    only = client.get("/leads?customers=1").text
    assert listed(only) == {"L3", "L4"} and "2 leads · page 1 of 1" in only
    assert listed(client.get("/leads?customers=1&status=new").text) == {"L4"}
    assert "<th>Account</th>" not in only  # the account column is off by default
    with_column = client.get("/leads?account_column=1").text
    assert "<th>Account</th>" in with_column
    cells = dict(re.findall(r'<tr data-lead-id="(\w+)">.*?<td data-account>(.*?)</td>', with_column, re.S))
    assert "华东精密制造有限公司" in cells["L1"] and "Beta Retail" in cells["L3"] and "—" in cells["L6"]
    assert with_column.count("data-existing-customer") == 2  # L3 and L4
    partial = client.get("/leads?customers=1", headers={"HX-Request": "true", "HX-Target": "leads-results"})
    assert "<html" not in partial.text and listed(partial.text) == {"L3", "L4"}
