"""The account 360 fragments on the planted company (as of 2024-06-30), per role, both stores.

Few, broad tests: each builds the planted company and an app once (the costly part)."""

from __future__ import annotations

import re

from .conftest import AS_OF

Q = f"?as_of={AS_OF.isoformat()}"
KEYS = ("health", "usage", "users", "tasks", "onboarding", "timeline")


def _kpi(html: str, name: str) -> str:
    return re.search(rf'data-kpi="{name}">([^<]*)<', html).group(1).strip()


def _user_rows(html: str):
    rows = re.findall(r'<tr data-user="([^"]+)">(.*?)</tr>', html, re.S)
    return [(u, [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", body, re.S)])
            for u, body in rows]


def test_usage_users_and_tasks_of_acme(client):
    admin, viewer = client(), client("viewer")
    page = admin.get("/accounts/A").text
    for key in KEYS:
        assert f'id="panel-{key}"' in page and f'hx-get="/success/accounts/A/{key}"' in page

    usage = admin.get(f"/success/accounts/A/usage{Q}").text
    # tests/success_usage hand counts: DAU 2 (A-c1, u2 on 06-30), WAU 3 (+ acme-x 06-28), MAU 3;
    # seats 10 → utilisation 3 / 10 = 30%; breadth 4 (login, report, export, sync);
    # events 64 in June vs 10 in May → trend 64 / 10 − 1 = +540%
    assert [_kpi(usage, k) for k in ("dau", "wau", "mau", "utilisation", "breadth", "trend")] == \
        ["2", "3", "3", "30%", "4", "+540%"]
    # the chart's series: 90 days to 06-30; 06-30 = login + report (A-c1) + export (u2) + sync = 4 events, 2 users
    series = re.search(r"var series = (\[.*?\]);", usage, re.S).group(1)
    assert series.count('"day"') == 90 and '{"day": "2024-06-30", "events": 4, "active_users": 2}' in series

    users = admin.get(f"/success/accounts/A/users{Q}").text
    # June (30 days): A-c1 30 days × (login + report) = 60 events → champion (30 ≥ ceil(0.4 × 30) = 12);
    # u2@acme.test 2 exports on 2 days (< 3 = ceil(0.1 × 30)) → occasional, linked by email to Bo;
    # acme-x one ticket → occasional (Cy, by attribute user_id); A-old only in May → dormant.
    assert [(u, c[1], c[3], c[4], c[6]) for u, c in _user_rows(users)] == [
        ("A-c1", "Ann", "60", "30", "champion"), ("u2@acme.test", "Bo", "2", "2", "occasional"),
        ("acme-x", "Cy", "1", "1", "occasional"), ("A-old", "—", "0", "0", "dormant")]
    # 3 active users of 10 seats → 7 dormant seats; Ann (decision maker) active → engaged
    assert [_kpi(users, k) for k in ("active", "seats", "dormant_seats", "champions")] == ["3", "10", "7", "1"]
    assert 'data-engaged="yes"' in users
    masked = viewer.get(f"/success/accounts/A/users{Q}").text  # viewers: email-like ids masked
    assert 'data-user="u***@acme.test"' in masked and "u2@acme.test" not in masked

    tasks = admin.get(f"/success/accounts/A/tasks{Q}").text
    assert 'id="task-TA1"' in tasks and 'id="task-TA2"' not in tasks  # open only; TA2 is done
    assert 'hx-post="/success/tasks/TA1/done"' in tasks  # the tasks page's own row and action route
    assert "hx-post" not in viewer.get(f"/success/accounts/A/tasks{Q}").text  # read only
    assert 'id="tasks-none"' in admin.get(f"/success/accounts/C/tasks{Q}").text
    done = admin.post("/success/tasks/TA1/done", data={"view": "row", "csrf_token": _csrf(tasks)},
                      headers={"HX-Request": "true"})
    assert done.status_code == 200 and 'data-status="done"' in done.text
    assert 'id="tasks-none"' in admin.get(f"/success/accounts/A/tasks{Q}").text


def _csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_usage_and_users_of_quiet_accounts(client):
    c = client()
    h = c.get(f"/success/accounts/H/usage{Q}").text
    assert 'id="usage-empty"' in h and _kpi(h, "mau") == "0"
    b = c.get(f"/success/accounts/B/users{Q}").text
    # B-c2 logged in on 05-05 only (dormant in June); Dee (decision maker) sent nothing → not engaged;
    # 0 active of 4 seats → 4 dormant seats
    assert 'data-engaged="no"' in b and _kpi(b, "active") == "0" and _kpi(b, "dormant_seats") == "4"
    assert [(u, c[6]) for u, c in _user_rows(b)] == [("B-c2", "dormant")]


def test_health_panel(client, planted):
    from b2bgrowth.success.health import health_report

    c = client()
    html = c.get(f"/success/accounts/A/health{Q}").text
    assert re.findall(r'data-measure="([^"]+)"', html) == ["seats", "breadth", "trend", "nps", "tickets", "renewal"]
    report = {a["account_id"]: a for a in health_report(planted, AS_OF)["accounts"]}["A"]
    # the same figures as the health report (one account scored instead of all)
    assert re.search(r'id="health-score">([^<]+)<', html).group(1) == f"{report['health_score']:.1f}"
    assert re.search(r'id="health-risk">([^<]+)<', html).group(1) == f"{round(report['churn_risk'] * 100)}%"
    assert f'data-stage="{report["lifecycle_stage"]}"' in html
    contributions = [float(x) for x in re.findall(r'<td class="num">([\d.]+)</td>\s*</tr>', html)]
    assert abs(sum(contributions) - report["health_score"]) < 0.1 * len(contributions)  # they add up (rounded)
    gone = c.get(f"/success/accounts/C/health{Q}").text  # Gamma ended 2024-03-01
    assert 'id="health-not-paying"' in gone and 'data-stage="churned"' in gone


def test_onboarding_and_timeline_panels(client, monkeypatch):
    import b2bgrowth.success.web_account360 as panels

    c = client()
    d = c.get(f"/success/accounts/D/onboarding{Q}").text
    # D: first paid 2024-06-01 (day 29); first_login done 06-03 (due 06-08); 3 active users (due 07-01)
    # and first report (due 07-16) pending
    assert re.findall(r'data-milestone="([^"]+)" data-status="([^"]+)"', d) == [
        ("first_login", "done"), ("three_active_users", "pending"), ("first_report", "pending")]
    assert 'data-status="overdue"' in c.get(f"/success/accounts/H/onboarding{Q}").text  # since 2023, no events
    assert 'class="p360-skip"' in c.get(f"/success/accounts/C/onboarding{Q}").text  # not paying: card hides

    html = c.get(f"/success/accounts/H/timeline{Q}").text
    assert re.findall(r'<li data-kind="([^"]+)"', html)[:5] == ["task", "nps", "opportunity", "subscription",
                                                                 "revenue"]
    assert len(re.findall(r"<li data-kind", html)) == 18 and 'class="p360-pager"' not in html  # one page of 20
    nps = c.get(f"/success/accounts/H/timeline{Q}&kind=nps").text
    assert re.findall(r'<li data-kind="([^"]+)"', nps) == ["nps", "nps"]  # hn3 (07-02) is after as_of
    assert 'class="active" data-kind="nps"' in nps
    assert c.get(f"/success/accounts/H/timeline{Q}&kind=meeting").status_code == 422
    monkeypatch.setattr(panels, "TIMELINE_PAGE", 5)  # 18 entries → pages of 5, 5, 5, 3
    last = c.get(f"/success/accounts/H/timeline{Q}&page=4").text
    assert len(re.findall(r"<li data-kind", last)) == 3 and "Page 4 of 4" in last and "timeline-older" not in last
    assert "page=3&amp;as_of=2024-06-30" in last or "page=3&as_of=2024-06-30" in last
    zh = client(lang="zh_CN").get(f"/success/accounts/H/timeline{Q}").text
    assert "订阅开始" in zh and "客户动态" in zh


def test_errors_roles_and_unknown_accounts(client, app, monkeypatch):
    from fastapi.testclient import TestClient

    import b2bgrowth.success.web_account360 as panels

    viewer = client("viewer")
    for key in KEYS:
        r = viewer.get(f"/success/accounts/NOPE/{key}")
        assert r.status_code == 404 and "NOPE" in r.text
    assert viewer.get("/success/accounts/A/usage?as_of=2024-13-01").status_code == 422
    assert viewer.get("/success/accounts/A/no-such-panel").status_code == 404
    r = TestClient(app).get("/success/accounts/A/health", follow_redirects=False)
    assert r.status_code in (302, 303, 307) and "/login" in r.headers["location"]

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(panels, "usage_context", broken)
    r = viewer.get(f"/success/accounts/A/usage{Q}")
    assert r.status_code == 200 and "could not be computed" in r.text and "boom" not in r.text
