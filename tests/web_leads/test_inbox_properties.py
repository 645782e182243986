"""Invariants of the inbox filters (Hypothesis): every row shown meets every filter, the status
filter partitions the merged leads, and pages never lose or repeat a lead."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from leads_seed import seed_leads

from b2bgrowth.leads import web
from b2bgrowth.leads.models import LEAD_STATUSES

FILTERS = st.fixed_dictionaries({
    "status": st.sampled_from(("",) + LEAD_STATUSES),
    "owner": st.sampled_from(("", "sales", "ops_owner", "nobody")),
    "grade": st.sampled_from(("", "A", "B", "C", "D", "A4", "D4")),
    "sla": st.sampled_from(("", "overdue")),
    "q": st.sampled_from(("", "zhang", "BETA", "l4", "@")),
    "channel": st.sampled_from(("", "sem", "expo", "ref", "none")),
    "reached": st.sampled_from(("", "mql", "sql", "customer")),
})


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(filters=FILTERS)
def test_every_row_meets_every_filter(sqlite_ws, filters):
    if not hasattr(sqlite_ws, "_seeded"):
        seed_leads(sqlite_ws)
        sqlite_ws._seeded = True
    data = web.inbox(sqlite_ws, "admin", page=1, created=(None, None), **filters)
    assert data["total"] == len(data["leads"]) or data["pages"] > 1
    for row in data["leads"]:
        assert not filters["status"] or row["status"] == filters["status"]
        assert not filters["owner"] or row["owner"] == filters["owner"]
        assert not filters["grade"] or (row["grade"] or "").startswith(filters["grade"])
        assert not filters["channel"] or row["channel"] == filters["channel"]
        assert filters["sla"] != "overdue" or row["overdue"]
        assert not filters["reached"] or web.STATUS_RANK[row["status"]] >= web.STATUS_RANK[filters["reached"]]
        text = " ".join(str(row.get(k) or "") for k in ("lead_id", "name", "company", "email", "phone")).lower()
        assert filters["q"].lower() in text


def test_status_filter_partitions_and_pages_cover_everything(sqlite_ws, monkeypatch):
    seed_leads(sqlite_ws)
    every = web.inbox(sqlite_ws, "admin", "", "", "", "", "", "", 1)
    by_status = [web.inbox(sqlite_ws, "admin", s, "", "", "", "", "", 1)["total"] for s in LEAD_STATUSES]
    assert sum(by_status) == every["total"] == 5
    monkeypatch.setattr(web, "PER_PAGE", 2)  # 5 leads → pages of 2, 2, 1
    pages = [web.inbox(sqlite_ws, "admin", "", "", "", "", "", "", p) for p in (1, 2, 3)]
    ids = [row["lead_id"] for page in pages for row in page["leads"]]
    assert pages[0]["pages"] == 3 and sorted(ids) == ["L1", "L3", "L4", "L5", "L6"]
