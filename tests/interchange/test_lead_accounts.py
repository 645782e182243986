"""The leads file's account_id column (round 3: a lead's account), on both stores."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from b2bgrowth.errors import ImportRejected
from b2bgrowth.interchange.importer import import_file
from b2bgrowth.leads.models import Lead

from .helpers import count, write


@pytest.fixture
def accounts(ws, tmp_path):
    import_file(ws, "accounts", write(tmp_path / "accounts.csv", "account_id,name\nA1,Acme\nA2,Beta\n"))
    return ws


def linked(ws) -> dict[str, str | None]:
    with ws.store.read() as session:
        return dict(session.execute(select(Lead.lead_id, Lead.account_id)).all())


def test_leads_import_with_and_without_account(accounts, tmp_path):
    ws = accounts
    # with the column: L1 → A1, L2 empty cell → no account; Chinese header 客户ID means account_id
    outcome = import_file(ws, "leads", write(tmp_path / "l.csv", "线索ID,邮箱,客户ID\nL1,a@acme.cn,A1\nL2,b@x.cn,\n"))
    assert (outcome.inserted, outcome.errors) == (2, [])
    assert linked(ws) == {"L1": "A1", "L2": None}
    # without the column: a partial file leaves the account alone (only the file's columns are written)
    import_file(ws, "leads", write(tmp_path / "l2.csv", "lead_id,email\nL1,new@acme.cn\nL3,c@x.cn\n"))
    assert linked(ws) == {"L1": "A1", "L2": None, "L3": None}
    # re-linking by import: L2 → A2
    import_file(ws, "leads", write(tmp_path / "l3.csv", "lead_id,account_id\nL2,A2\n"))
    assert linked(ws) == {"L1": "A1", "L2": "A2", "L3": None}


def test_an_unknown_account_rejects_the_file_naming_the_row(accounts, tmp_path):
    ws = accounts
    with pytest.raises(ImportRejected) as caught:
        import_file(ws, "leads", write(tmp_path / "bad.csv",
                                       "lead_id,email,account_id\nL1,a@acme.cn,A1\nL2,b@x.cn,A404\n"))
    assert [str(e) for e in caught.value.errors] == ["line 3, id L2, column account_id: unknown account A404"]
    assert count(ws, "leads") == 0  # all or nothing: L1 was good but is not written either
    assert ws.store.revisions(["leads"])["leads"] == 0
