"""A lead's account (round 3, leads/account_links.py) on both stores: the merge rule, links by
hand / API / CLI, the won-opportunity link, suggestions by company name, "paying now", the report."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from b2bgrowth.accounts.models import Account
from b2bgrowth.leads import account_links
from b2bgrowth.leads.dedupe import merge_frame, merged_leads
from b2bgrowth.leads.models import Lead
from b2bgrowth.revenue.models import Subscription
from tests.leads.helpers import add_leads, add_opportunities, when
from tests.leads.test_cli import invoke


def add_accounts(ws, *rows: tuple) -> None:
    with ws.store.write(touched=["accounts"]) as session:
        for account_id, name, tier in rows:
            session.add(Account(account_id=account_id, name=name, tier=tier, type="direct"))


def accounts_of(ws) -> dict[str, str | None]:
    with ws.store.read() as session:
        return dict(session.execute(select(Lead.lead_id, Lead.account_id)).all())


def merged_account(ws, lead_id: str):
    merged = merged_leads(ws)
    value = merged.loc[merged["lead_id"] == lead_id, "account_id"].iloc[0]
    return value if isinstance(value, str) else None  # the cached frame reads a missing value back as NaN


# -- the merge rule ----------------------------------------------------------------------------------
def test_merged_lead_takes_the_identity_members_account_else_any_members(ws):
    add_accounts(ws, ("ACC1", "Acme", "KA"), ("ACC2", "Beta", "SMB"))
    add_leads(ws,
              # A (identity, earliest) and B share an e-mail; only B has an account → the merged lead gets ACC2
              {"lead_id": "A", "created_at": when(1), "email": "a@acme.cn"},
              {"lead_id": "B", "created_at": when(2), "email": "A@Acme.cn", "account_id": "ACC2"},
              # C (identity) and D share a phone (+86 → digits): both linked; the identity's ACC1 wins
              {"lead_id": "C", "created_at": when(3), "phone": "+86 139 0000 0001", "account_id": "ACC1"},
              {"lead_id": "D", "created_at": when(4), "phone": "008613900000001", "account_id": "ACC2"},
              {"lead_id": "E", "created_at": when(5), "email": "e@e.cn"})
    assert merged_account(ws, "A") == "ACC2"
    assert merged_account(ws, "C") == "ACC1"
    assert merged_account(ws, "E") is None
    assert set(merged_leads(ws)["lead_id"]) == {"A", "C", "E"}


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["x@a.cn", "y@b.cn", "z@c.cn"]), st.sampled_from([None, "", "K1", "K2"])),
                min_size=1, max_size=8))
def test_merged_account_is_the_first_known_in_identity_order(rows):
    """Invariant: per merged lead, the account is the first non-empty one among its members in
    identity order (created_at, then lead_id) — None when no member has one."""
    import pandas as pd

    frame = pd.DataFrame([{"lead_id": f"L{i:02d}", "created_at": pd.Timestamp(2024, 1, 1 + i), "email": email,
                           "phone": None, "company": None, "name": None, "status": "new", "account_id": account}
                          for i, (email, account) in enumerate(rows)])
    merged, members = merge_frame(frame)
    for row in merged.itertuples():
        ids = sorted(members.loc[members["lead_id"] == row.lead_id, "member_id"])
        known = [frame.set_index("lead_id").loc[i, "account_id"] for i in ids]
        known = [k for k in known if isinstance(k, str) and k]
        got = row.account_id if isinstance(row.account_id, str) else None  # a string column: missing is NaN
        assert got == (known[0] if known else None)


# -- link / unlink -----------------------------------------------------------------------------------
def test_link_writes_the_identity_and_unlink_clears_every_member(ws):
    add_accounts(ws, ("ACC1", "Acme", "KA"), ("ACC2", "Beta", "SMB"))
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "a@acme.cn"},
              {"lead_id": "B", "created_at": when(2), "email": "a@acme.cn", "account_id": "ACC2"})
    # linking through the member B resolves to the merged lead A (its identity)
    assert account_links.link(ws, "B", "ACC1") == {"lead_id": "A", "account_id": "ACC1"}
    assert accounts_of(ws) == {"A": "ACC1", "B": "ACC2"}
    assert merged_account(ws, "A") == "ACC1"  # the identity's account wins over B's
    with pytest.raises(account_links.AccountLinkError, match="account 'NOPE' does not exist") as bad:
        account_links.link(ws, "A", "NOPE")
    assert bad.value.status == 422 and accounts_of(ws) == {"A": "ACC1", "B": "ACC2"}  # nothing written
    with pytest.raises(account_links.AccountLinkError, match="lead 'Z' does not exist") as missing:
        account_links.link(ws, "Z", "ACC1")
    assert missing.value.status == 404
    assert account_links.unlink(ws, "A") == {"lead_id": "A", "account_id": None}
    assert accounts_of(ws) == {"A": None, "B": None} and merged_account(ws, "A") is None


def test_a_won_opportunity_links_its_lead_when_it_has_none(ws):
    add_accounts(ws, ("ACC1", "Acme", "KA"), ("ACC2", "Beta", "SMB"), ("ACC3", "Gamma", "CA"))
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "a@a.cn"},
              {"lead_id": "B", "created_at": when(2), "email": "b@b.cn", "account_id": "ACC3"},
              {"lead_id": "C", "created_at": when(3), "email": "c@c.cn"},
              {"lead_id": "D", "created_at": when(4), "email": "d@d.cn"})
    add_opportunities(ws,
                      # A: two won deals → the earlier close (ACC2 on 02-01) links it; the open one does not count
                      {"opportunity_id": "O1", "lead_id": "A", "account_id": "ACC1", "status": "won",
                       "close_date": date(2024, 3, 1)},
                      {"opportunity_id": "O2", "lead_id": "A", "account_id": "ACC2", "status": "won",
                       "close_date": date(2024, 2, 1)},
                      # B already has ACC3: a won deal with ACC1 leaves it alone
                      {"opportunity_id": "O3", "lead_id": "B", "account_id": "ACC1", "status": "won"},
                      # C: open and lost deals link nothing; D: a won deal without an account links nothing
                      {"opportunity_id": "O4", "lead_id": "C", "account_id": "ACC1", "status": "open"},
                      {"opportunity_id": "O5", "lead_id": "C", "account_id": "ACC1", "status": "lost"},
                      {"opportunity_id": "O6", "lead_id": "D", "status": "won"})
    before = ws.store.revisions(["leads"])["leads"]
    from b2bgrowth.reporting.derived import recompute_all

    recompute_all(ws)  # the step "lead_account_links"
    assert accounts_of(ws) == {"A": "ACC2", "B": "ACC3", "C": None, "D": None}
    assert ws.store.revisions(["leads"])["leads"] == before + 1
    assert account_links.link_won(ws) == 0  # nothing left to link: no revision bump
    assert ws.store.revisions(["leads"])["leads"] == before + 1


# -- suggestions, paying, the report ---------------------------------------------------------------
def test_suggestions_use_the_dedupe_company_normaliser(ws):
    add_accounts(ws, ("ACC1", "北京云帆科技有限公司", "KA"), ("ACC2", "Yunfan Tech Co., Ltd.", "SMB"),
                 ("ACC3", "云帆科技集团", "CA"), ("ACC4", "云帆", "SMB"))
    # 北京云帆科技有限公司 → 北京云帆科技; 云帆科技集团 → 云帆科技 (suffix 集团 removed); 云帆 differs
    assert [a["account_id"] for a in account_links.suggestions(ws, "云帆科技（中国）")] == ["ACC3"]
    assert [a["account_id"] for a in account_links.suggestions(ws, " yunfan tech ltd ")] == ["ACC2"]
    assert account_links.suggestions(ws, None) == [] and account_links.suggestions(ws, "Nobody") == []


def test_paying_now_and_the_leads_report_carries_account_id(ws):
    today = date.today()
    add_accounts(ws, ("ACC1", "Acme", "KA"), ("ACC2", "Beta", "SMB"), ("ACC3", "Gamma", "CA"))
    with ws.store.write(touched=["subscriptions"]) as session:
        session.add_all([
            Subscription(subscription_id="s1", account_id="ACC1", mrr=100, currency="CNY",
                         start_date=today - timedelta(days=30), end_date=None),            # paying
            Subscription(subscription_id="s2", account_id="ACC2", mrr=100, currency="CNY",
                         start_date=today - timedelta(days=60), end_date=today),           # ended today
            Subscription(subscription_id="s3", account_id="ACC3", mrr=0, currency="CNY",
                         start_date=today - timedelta(days=60), end_date=None),            # free
        ])
    assert account_links.paying_accounts(ws) == {"ACC1"}
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "a@a.cn", "account_id": "ACC1"},
              {"lead_id": "B", "created_at": when(2), "email": "b@b.cn"})
    assert account_links.account_summary(ws, "ACC1") == {"account_id": "ACC1", "name": "Acme", "tier": "KA",
                                                         "exists": True, "paying": True}
    assert account_links.account_summary(ws, "ACC2")["paying"] is False
    rows = {r["lead_id"]: r["account_id"] for r in ws.report("leads")["leads"]}
    assert rows == {"A": "ACC1", "B": None}


# -- CLI and API -----------------------------------------------------------------------------------
def test_cli_link_and_unlink(ws):
    add_accounts(ws, ("ACC1", "Acme", "KA"))
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "a@a.cn"})
    out = invoke(ws, "leads", "link", "A", "ACC1")
    assert out.exit_code == 0, out.output
    assert json.loads(out.stdout) == {"lead_id": "A", "account_id": "ACC1"}
    bad = invoke(ws, "leads", "link", "A", "NOPE")
    assert bad.exit_code == 1 and "account 'NOPE' does not exist" in bad.output
    missing = invoke(ws, "leads", "unlink", "ZZ")
    assert missing.exit_code == 1 and "lead 'ZZ' does not exist" in missing.output
    assert accounts_of(ws) == {"A": "ACC1"}
    out = invoke(ws, "leads", "unlink", "A")
    assert out.exit_code == 0 and json.loads(out.stdout) == {"lead_id": "A", "account_id": None}
    assert accounts_of(ws) == {"A": None}


def test_api_capture_with_account_and_the_4xx_answers(ws, api):
    add_accounts(ws, ("ACC1", "Acme", "KA"))
    sales = api("sales")
    created = sales.post("/api/v1/leads", json={"lead_id": "N1", "email": "n1@acme.cn", "account_id": "ACC1"})
    assert created.status_code == 201 and created.json()["account_id"] == "ACC1"
    unknown = sales.post("/api/v1/leads", json={"lead_id": "N2", "email": "n2@acme.cn", "account_id": "NOPE"})
    assert unknown.status_code == 422 and unknown.json()["detail"] == "account_id: account 'NOPE' does not exist"
    assert "N2" not in accounts_of(ws)  # nothing written
    plain = sales.post("/api/v1/leads", json={"lead_id": "N3", "email": "n3@beta.cn"})
    assert plain.status_code == 201 and plain.json()["account_id"] is None
    detail = sales.get("/api/v1/leads/N1").json()
    assert detail["account"] == {"account_id": "ACC1", "name": "Acme", "tier": "KA", "exists": True, "paying": False}
    # link / unlink by API
    assert sales.put("/api/v1/leads/N3/account", json={"account_id": "ACC1"}).json()["account"]["account_id"] == "ACC1"
    assert sales.put("/api/v1/leads/N3/account", json={"account_id": "NOPE"}).status_code == 422
    assert sales.put("/api/v1/leads/ZZ/account", json={"account_id": "ACC1"}).status_code == 404
    assert sales.put("/api/v1/leads/N3/account", json={}).status_code == 422
    assert sales.delete("/api/v1/leads/N3/account").json()["account"] is None
    assert api("viewer").put("/api/v1/leads/N3/account", json={"account_id": "ACC1"}).status_code == 403
    assert api("csm").delete("/api/v1/leads/N1/account").status_code == 403
    assert accounts_of(ws) == {"N1": "ACC1", "N3": None}


def test_winning_a_deal_on_the_board_links_its_lead_at_once(ws):
    from b2bgrowth.pipeline.stages import move_opportunity

    add_accounts(ws, ("ACC1", "Acme", "KA"))
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "a@a.cn"},
              {"lead_id": "C", "created_at": when(2), "email": "c@c.cn"})
    add_opportunities(ws, {"opportunity_id": "O1", "lead_id": "A", "account_id": "ACC1", "status": "open",
                           "stage": "商务谈判"},
                      {"opportunity_id": "O2", "lead_id": "C", "account_id": "ACC1", "status": "open",
                       "stage": "商务谈判"})
    before = ws.store.revisions(["leads"])["leads"]
    move_opportunity(ws, "O2", "输单", by="sales")  # lost: no link, no leads revision
    assert accounts_of(ws) == {"A": None, "C": None} and ws.store.revisions(["leads"])["leads"] == before
    move_opportunity(ws, "O1", "赢单", by="sales")  # won (probability 1): A takes ACC1 in the same write
    assert accounts_of(ws) == {"A": "ACC1", "C": None}
    assert ws.store.revisions(["leads"])["leads"] == before + 1  # so the inbox and lead caches move
    assert merged_account(ws, "A") == "ACC1"


def test_importing_won_deals_links_their_leads(ws, tmp_path):
    from b2bgrowth.interchange.importer import import_file

    add_accounts(ws, ("ACC1", "Acme", "KA"))
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "a@a.cn"})
    path = tmp_path / "opportunities.csv"
    path.write_text("opportunity_id,account_id,lead_id,name,stage,amount,currency,created_at,close_date,status\n"
                    "O1,ACC1,A,Deal,赢单,1000,CNY,2024-01-05,2024-02-01,won\n", encoding="utf-8")
    import_file(ws, "opportunities", path)
    assert accounts_of(ws) == {"A": "ACC1"}
