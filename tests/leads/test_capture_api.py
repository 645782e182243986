"""Capture by API and public form; touches; hand-off routes; roles (issue 3 items 1, 2, 4)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from b2bgrowth.leads import capture, dedupe
from b2bgrowth.leads.capture import FormCreate, LeadCreate
from b2bgrowth.leads.models import FormSubmission
from tests.leads.helpers import add_leads, when


def lead_ids(ws):
    return sorted(dedupe.member_to_lead(ws))


def test_post_lead_by_role(ws, api):
    body = {"lead_id": "W1", "name": "王芳", "company": "数联", "email": "W@x.com", "channel": "seo"}
    created = api("sales").post("/api/v1/leads", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["lead_id"] == "W1" and created.json()["attributes"] == {"source": "api"}
    assert api("sales").post("/api/v1/leads", json=body).status_code == 409
    assert api("viewer").post("/api/v1/leads", json={**body, "lead_id": "W2"}).status_code == 403
    assert api("csm").post("/api/v1/leads", json={**body, "lead_id": "W3"}).status_code == 403
    assert api(None).post("/api/v1/leads", json={**body, "lead_id": "W4"}).status_code == 401
    bad = api("ops").post("/api/v1/leads", json={"name": "only a name"})
    assert bad.status_code == 422 and "email, a phone, or a name and a company" in bad.json()["detail"]
    bad = api("ops").post("/api/v1/leads", json={"email": "x@y.com", "employees": -3, "colour": "red"})
    assert bad.status_code == 422 and "employees" in bad.json()["detail"] and "colour" in bad.json()["detail"]
    assert lead_ids(ws) == ["W1"]
    got = api("viewer").get("/api/v1/leads/W1")  # viewers read
    assert got.status_code == 200 and got.json()["lead"]["status"] == "new"
    assert got.json()["transitions"][0]["reason"] == "created via api"
    assert api("viewer").get("/api/v1/leads/NOPE").status_code == 404


def test_touch_on_lead_contact_or_account(ws, api):
    add_leads(ws, {"lead_id": "L1", "created_at": when(1), "email": "a@b.com"})
    ok = api("sales").post("/api/v1/touches", json={"kind": "call", "lead_id": "L1", "at": "2024-01-02T10:00:00"})
    assert ok.status_code == 201 and ok.json()["owner"] == "sales"
    assert [t["kind"] for t in dedupe.lead_touches(ws, "L1")] == ["call"]
    missing = api("sales").post("/api/v1/touches", json={"kind": "call", "account_id": "A404"})
    assert missing.status_code == 422 and "account_id: 'A404' does not exist" in missing.json()["detail"]
    assert api("sales").post("/api/v1/touches", json={"kind": "fax", "lead_id": "L1"}).status_code == 422
    assert api("sales").post("/api/v1/touches", json={"kind": "call"}).status_code == 422
    assert api("viewer").post("/api/v1/touches", json={"kind": "call", "lead_id": "L1"}).status_code == 403


def test_sales_accept_reject_viewer_cannot(ws, api):
    add_leads(ws, {"lead_id": "M1", "created_at": when(1), "email": "1@b.com", "status": "mql"},
              {"lead_id": "M2", "created_at": when(1), "email": "2@b.com", "status": "mql"},
              {"lead_id": "M3", "created_at": when(1), "email": "3@b.com", "status": "new"})
    assert api("viewer").post("/api/v1/leads/M1/accept").status_code == 403
    assert api("sales").post("/api/v1/leads/M1/accept").json()["to"] == "sql"
    assert api("sales").post("/api/v1/leads/M1/accept").status_code == 409  # already sql
    assert api("sales").post("/api/v1/leads/M2/reject", json={}).status_code == 422  # no reason
    rejected = api("sales").post("/api/v1/leads/M2/reject", json={"reason": "no budget"})
    assert rejected.json() | {"at": None} == {"lead_id": "M2", "from": "mql", "to": "nurture", "at": None,
                                             "by": "sales", "reason": "no budget"}
    dq = api("sales").post("/api/v1/leads/M3/transition", json={"to": "disqualified"})
    assert dq.status_code == 422 and "reason is required" in dq.json()["detail"]
    assert api("sales").post("/api/v1/leads/M3/transition", json={"to": "disqualified", "reason": "spam"}).status_code == 200
    assert api("sales").post("/api/v1/leads/NOPE/accept").status_code == 404


def test_undo_merge_over_the_api(ws, api):
    add_leads(ws, {"lead_id": "A", "created_at": when(1), "email": "x@a.com"},
              {"lead_id": "B", "created_at": when(2), "email": "X@a.com"})
    detail = api("viewer").get("/api/v1/leads/B").json()
    assert detail["lead"]["lead_id"] == "A" and detail["lead"]["member_ids"] == ["A", "B"]
    assert detail["why_merged"] == [{"a": "A", "b": "B", "rule": "email", "value": "x@a.com"}]
    assert api("viewer").post("/api/v1/leads/A/undo-merge", json={"member_id": "B"}).status_code == 403
    undone = api("sales").post("/api/v1/leads/A/undo-merge", json={"member_id": "B"})
    assert undone.status_code == 200 and undone.json()["lead"]["member_ids"] == ["A"]
    assert undone.json()["merge_history"][0]["undone_by"] == "sales"
    assert api("sales").post("/api/v1/leads/A/undo-merge", json={"member_id": "B"}).status_code == 409


def test_assignment_and_overdue_routes(ws, api):
    assert api("sales").put("/api/v1/leads/assignment-rules/all", json={"owners": ["amy"]}).status_code == 403
    assert api("ops").put("/api/v1/leads/assignment-rules/all", json={"owners": ["amy"]}).status_code == 200
    bad = api("ops").put("/api/v1/leads/assignment-rules/r", json={"owners": ["amy"], "field": "region"})
    assert bad.status_code == 422 and "needs a value" in bad.json()["detail"]
    add_leads(ws, {"lead_id": "M1", "created_at": when(1), "email": "1@b.com", "status": "mql"})
    assert api("ops").post("/api/v1/leads/assign").json() == {"assigned": {"M1": "amy"}}
    overdue = api("viewer").get("/api/v1/leads/sla/overdue?hours=1").json()
    assert overdue["hours"] == 1 and [r["lead_id"] for r in overdue["leads"]] == []  # assigned just now
    assert api("viewer").get("/api/v1/leads/sla/overdue?hours=-1").status_code == 422
    assert api("ops").delete("/api/v1/leads/assignment-rules/all").status_code == 204
    assert api("ops").delete("/api/v1/leads/assignment-rules/all").status_code == 404


# -- public forms ------------------------------------------------------------------------------------
@pytest.fixture
def form(ws):
    return capture.create_form(ws, FormCreate(form_id="trial", name="Free trial", channel="seo", campaign_id="C1",
                                              consent_text="我同意被联系"))


def test_form_stores_a_lead_with_consent(ws, api, form):
    public = api(None)
    ok = public.post("/api/v1/forms/trial", json={"name": "李雷", "email": "li@x.com", "consent": "yes", "plan": "pro"})
    assert ok.status_code == 200 and ok.json() == {"ok": True}
    lead = dedupe.merged_leads(ws).iloc[0]
    assert (lead["channel"], lead["campaign_id"], lead["email"]) == ("seo", "C1", "li@x.com")
    assert '"source": "form:trial"' in lead["attributes"] and '"plan": "pro"' in lead["attributes"]
    no_consent = public.post("/api/v1/forms/trial", json={"name": "韩梅梅", "email": "han@x.com"})
    assert no_consent.status_code == 422 and "consent" in no_consent.json()["detail"]
    assert public.post("/api/v1/forms/nope", json={"email": "a@b.c", "consent": "yes"}).status_code == 404
    bad = public.post("/api/v1/forms/trial", json={"name": "x", "consent": "yes"})
    assert bad.status_code == 422 and "email, a phone" in bad.json()["detail"]
    assert len(dedupe.merged_leads(ws)) == 1


def test_honeypot_is_answered_but_not_stored(ws, api, form):
    bot = api(None).post("/api/v1/forms/trial", json={"name": "Bot", "email": "bot@x.com", "consent": "yes",
                                                       "website": "http://spam.example"})
    assert bot.status_code == 200 and bot.json() == {"ok": True}  # the same answer as a real submission
    assert dedupe.merged_leads(ws).empty
    with ws.store.read() as s:
        assert [r.outcome for r in s.query(FormSubmission).all()] == ["spam"]


def test_rate_limit_per_ip(ws, form):
    t0 = datetime(2024, 3, 1, 12, 0, 0)
    for i in range(10):  # 10 in the same minute are allowed …
        capture.submit_form(ws, "trial", {"email": f"{i}@x.com", "consent": "on"}, ip="1.2.3.4",
                            now=t0 + timedelta(seconds=i))
    with pytest.raises(capture.CaptureError, match="at most 10 per minute") as err:  # … the 11th is not
        capture.submit_form(ws, "trial", {"email": "11@x.com", "consent": "on"}, ip="1.2.3.4",
                            now=t0 + timedelta(seconds=30))
    assert err.value.status == 429
    # Another address is not limited; the first one is free again once the first submission is > 60 s old.
    capture.submit_form(ws, "trial", {"email": "o@x.com", "consent": "on"}, ip="5.6.7.8", now=t0 + timedelta(seconds=30))
    capture.submit_form(ws, "trial", {"email": "12@x.com", "consent": "on"}, ip="1.2.3.4", now=t0 + timedelta(seconds=61))
    assert len(dedupe.merged_leads(ws)) == 12


def test_rate_limit_answers_429_over_http(ws, api, form):
    public = api(None)
    answers = [public.post("/api/v1/forms/trial", json={"email": f"{i}@x.com", "consent": "yes"}).status_code
               for i in range(11)]
    assert answers == [200] * 10 + [429]
    assert "per minute" in public.post("/api/v1/forms/trial", json={"email": "z@x.com", "consent": "yes"}).json()["detail"]


def test_html_form_post_and_embed_snippet(ws, api, form):
    public = api(None)
    snippet = public.get("/api/v1/forms/trial/embed")
    assert snippet.status_code == 200 and 'name="website"' in snippet.text and 'name="consent"' in snippet.text
    assert 'action="http://testserver/api/v1/forms/trial"' in snippet.text and "我同意被联系" in snippet.text
    script = public.get("/forms/trial/embed.js")
    assert script.headers["content-type"].startswith("application/javascript") and "b2bgrowth-form" in script.text
    posted = public.post("/api/v1/forms/trial", data={"name": "张三", "phone": "+86 139 0000 0000", "consent": "yes",
                                                      "website": ""})
    assert posted.status_code == 200 and "Thank you" in posted.text
    assert dedupe.merged_leads(ws)["phone"].tolist() == ["+86 139 0000 0000"]
    assert public.get("/forms/nope/embed.js").status_code == 404


def test_create_form_route_roles(ws, api):
    body = {"form_id": "expo", "name": "Expo 2024", "channel": "event"}
    assert api("sales").post("/api/v1/forms", json=body).status_code == 403
    assert api("ops").post("/api/v1/forms", json=body).status_code == 201
    assert api("ops").post("/api/v1/forms", json=body).status_code == 409
    assert api("ops").post("/api/v1/forms", json={"form_id": "bad id!", "name": "x"}).status_code == 422


def test_create_lead_function_records_the_first_transition(ws):
    lead = capture.create_lead(ws, LeadCreate(email="a@b.com", status="mql", owner="amy"), source="ui", by="ops",
                               now=datetime(2024, 5, 1, 9))
    assert lead["lead_id"].startswith("L-") and lead["assigned_at"] == datetime(2024, 5, 1, 9)
    from b2bgrowth.leads import handoff as lifecycle

    assert [(h["from"], h["to"], h["by"]) for h in lifecycle.history(ws, lead["lead_id"])] == [(None, "mql", "ops")]
