"""Tasks page, task actions (forms with CSRF, HTMX rows, JSON API with tokens), roles, rules page."""

from __future__ import annotations

import re

from b2bgrowth.auth import service

CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf(client, path="/success/tasks"):
    return CSRF.search(client.get(path).text).group(1)


def test_page_lists_open_tasks_and_filters(signed_in):
    admin = signed_in("admin", "en")
    page = admin.get("/success/tasks")
    assert page.status_code == 200
    assert "task-T1" in page.text and "task-T2" in page.text and "task-T3" not in page.text  # open by default
    assert "Usage down 45% over 30 days" in page.text
    overdue = admin.get("/success/tasks?due=overdue").text
    assert "task-T1" in overdue and "task-T2" not in overdue  # T1 due 2020-01-08 < today
    done = admin.get("/success/tasks?status=done").text
    assert "task-T3" in done and "task-T1" not in done
    assert "task-T2" in admin.get("/success/tasks?owner=Li+Na").text
    assert "task-T1" not in admin.get("/success/tasks?type=renewal").text
    zh = signed_in("admin", "zh_CN").get("/success/tasks")
    assert zh.status_code == 200 and "任务" in zh.text


def test_my_tasks_for_a_csm(signed_in, ws):
    csm = signed_in("csm", "en")
    assert "No tasks match" in csm.get("/success/tasks").text  # csm default: mine; nothing owned by "csm"
    token = csrf(csm)
    csm.post("/success/tasks/T2/assign", data={"csrf_token": token, "owner": "csm", "view": "detail"})
    assert "task-T2" in csm.get("/success/tasks").text


def test_inline_actions_swap_the_row(signed_in, ws):
    admin = signed_in("admin", "en")
    token = csrf(admin)
    row = admin.post("/success/tasks/T1/done", data={"csrf_token": token, "view": "row"}, headers={"HX-Request": "true"})
    assert row.status_code == 200 and row.text.lstrip().startswith('<tr id="task-T1"') and 'data-status="done"' in row.text
    row = admin.post("/success/tasks/T2/snooze", data={"csrf_token": token, "until": "2000-01-01", "view": "row"},
                     headers={"HX-Request": "true"})
    assert row.status_code == 422 and "must be after today" in row.text
    row = admin.post("/success/tasks/T2/snooze", data={"csrf_token": token, "until": "2098-12-31", "view": "row"},
                     headers={"HX-Request": "true"})
    assert 'data-status="snoozed"' in row.text
    plain = admin.post("/success/tasks/T2/comment", data={"csrf_token": token, "text": "Called the CIO", "view": "detail"},
                       follow_redirects=False)
    assert plain.status_code == 303 and plain.headers["location"] == "/success/tasks/T2"
    detail = admin.get("/success/tasks/T2").text
    assert "Called the CIO" in detail and "admin" in detail


def test_roles_viewer_read_only_sales_refused(signed_in):
    viewer = signed_in("viewer", "en")
    assert viewer.get("/success/tasks?scope=all").status_code == 200
    assert "Read only" in viewer.get("/success/tasks?scope=all").text
    token = csrf(viewer)
    assert viewer.post("/success/tasks/T1/done", data={"csrf_token": token}).status_code == 403
    ops = signed_in("ops", "en")
    assert ops.post("/success/tasks/T1/done", data={"csrf_token": csrf(ops)}, follow_redirects=False).status_code == 303
    # Rule edits: admin only.
    assert ops.post("/success/playbooks/usage_down", data={"csrf_token": csrf(ops), "due_days": "3"}).status_code == 403


def test_without_csrf_a_form_post_is_refused(signed_in):
    admin = signed_in("admin", "en")
    assert admin.post("/success/tasks/T1/done", data={}).status_code in (400, 403)


def test_json_api_with_tokens(app, ws):
    from fastapi.testclient import TestClient

    admin_token = service.create_token(ws, "admin", "api test")
    viewer_token = service.create_token(ws, "viewer", "api test")
    with TestClient(app) as c:
        auth = {"Authorization": f"Bearer {admin_token}"}
        listed = c.get("/api/v1/success/tasks?status=open", headers=auth).json()["tasks"]
        assert [t["task_id"] for t in listed] == ["T1", "T2"]  # by due date
        assert c.get("/api/v1/success/tasks?status=bogus", headers=auth).status_code == 422
        r = c.post("/api/v1/success/tasks/T1/actions", json={"action": "comment", "text": "hi"}, headers=auth)
        assert r.status_code == 200 and r.json()["comments"][-1]["text"] == "hi"
        assert c.post("/api/v1/success/tasks/T1/actions", json={"action": "snooze"}, headers=auth).status_code == 422
        assert c.post("/api/v1/success/tasks/NOPE/actions", json={"action": "done"}, headers=auth).status_code == 404
        assert c.post("/api/v1/success/tasks/T1/actions", json={"action": "explode"}, headers=auth).status_code == 422
        r = c.post("/api/v1/success/tasks/T1/actions", json={"action": "assign", "owner": "Li Na"}, headers=auth)
        assert r.json()["owner"] == "Li Na"
        viewer = {"Authorization": f"Bearer {viewer_token}"}
        assert c.get("/api/v1/success/tasks/T1", headers=viewer).status_code == 200
        assert c.post("/api/v1/success/tasks/T1/actions", json={"action": "done"}, headers=viewer).status_code == 403
        report = c.get("/api/v1/reports/tasks?owner=Li+Na", headers=auth).json()
        assert sorted(t["task_id"] for t in report["tasks"]) == ["T1", "T2"]


def test_rules_page_admin_edits(signed_in, ws):
    from b2bgrowth.success.playbooks.config import load_rules

    admin = signed_in("admin", "en")
    page = admin.get("/success/playbooks")
    assert page.status_code == 200 and "rule-usage_down" in page.text
    token = csrf(admin, "/success/playbooks")
    bad = admin.post("/success/playbooks/usage_down", data={"csrf_token": token, "enabled": "on", "due_days": "5",
                                                            "param_drop": "7"})
    assert bad.status_code == 422 and "outside [0, 1]" in bad.text
    ok = admin.post("/success/playbooks/usage_down", data={"csrf_token": token, "due_days": "5", "param_drop": "0.5"},
                    follow_redirects=False)
    assert ok.status_code == 303
    rule = next(r for r in load_rules(ws) if r.spec.rule_id == "usage_down")
    assert (rule.enabled, rule.due_days, rule.params, rule.version) == (False, 5, {"drop": 0.5}, 1)
