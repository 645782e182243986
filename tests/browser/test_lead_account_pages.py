"""A lead's account in headless Chromium, zh-CN and en: the lead page's account card (suggestion,
link, existing-customer badge, unlink) and the inbox's "existing customers only" filter and account
column.

Data: the session's seeded company (account A1 "华东精密制造有限公司", KA, paying since 2023) plus
tests/web_leads/leads_seed.py; each language adds a lead of its own ("华东精密制造（中国）有限公司" —
the same company once the suffixes 有限公司 and （中国） are removed), so the runs never meet.
"""

from __future__ import annotations

from datetime import datetime

TEXT = {
    "zh_CN": {"badge": "现有客户", "customers": "仅现有客户", "account": "客户", "none": "未关联客户"},
    "en": {"badge": "existing customer", "customers": "Existing customers only", "account": "Account",
           "none": "Not linked to an account"},
}


def add_lead(ws, lead_id: str) -> None:
    from b2bgrowth.leads.models import Lead

    with ws.store.write(touched=["leads"]) as session:
        lead = session.get(Lead, lead_id)
        if lead is None:
            session.add(Lead(lead_id=lead_id, created_at=datetime(2024, 5, 1, 9), name=f"Upsell {lead_id}",
                             company="华东精密制造（中国）有限公司", email=f"{lead_id.lower()}@hdjm.cn",
                             channel="ref", status="new", owner="sales"))
        else:
            lead.account_id = None


def test_link_a_lead_to_its_account_and_filter_the_inbox(leads_data, page, live_server, lang, screenshot):
    lead_id = f"ACCT-{lang}"  # not BA-…: test_leads_pages.py uses those ids
    add_lead(leads_data, lead_id)
    page.goto(f"{live_server}/leads/{lead_id}")
    card = page.locator("#lead-account")
    assert TEXT[lang]["none"] in card.inner_text()
    suggested = page.locator("#account-suggestions button").evaluate_all("bs => bs.map(b => b.dataset.suggest)")
    assert "A1" in suggested  # 华东精密制造有限公司 normalises like the lead's company
    screenshot(page, "lead-account-suggestions")
    page.click("#account-suggestions button[data-suggest=A1]")
    page.wait_for_selector("#lead-account-link")
    assert "华东精密制造有限公司" in page.inner_text("#lead-account-link")
    assert page.inner_text("#lead-account-tier").strip() == "KA"
    assert TEXT[lang]["badge"] in page.inner_text("#existing-customer-badge")
    screenshot(page, "lead-account-linked")
    assert not page.js_errors

    page.goto(f"{live_server}/leads")
    assert TEXT[lang]["customers"] in page.inner_text("#lead-filters")
    page.check("#customers-only")
    page.wait_for_function("() => !document.querySelector('#leads-table tbody tr[data-lead-id=L4]')")
    ids = page.locator("#leads-table tbody tr").evaluate_all("rows => rows.map(r => r.dataset.leadId)")
    assert lead_id in ids and "L3" not in ids and "L6" not in ids
    assert "customers=1" in page.url
    page.check("#account-column")
    page.wait_for_selector("#leads-table td[data-account]")
    headers = page.locator("#leads-table thead th").all_inner_texts()
    assert TEXT[lang]["account"] in headers
    cell = page.locator(f"#leads-table tr[data-lead-id='{lead_id}'] td[data-account]").inner_text()
    assert "华东精密制造有限公司" in cell
    screenshot(page, "leads-inbox-existing-customers")
    assert not page.js_errors

    # unlink from the lead page: the card says "not linked" again
    page.goto(f"{live_server}/leads/{lead_id}")
    page.click("#account-unlink-btn")
    page.wait_for_selector("#lead-account-none")
    assert page.locator("#existing-customer-badge").count() == 0
