"""Experiment pages, round 3: planned dates on the set-up form (and their refusals), the overdue mark
in the list, who decided (the signed-in user) on the list and the detail page, and the
always-valid (sequential) toggle of the results — in both languages, on both stores."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from planted import plant
from test_pages import setup_fields
from web_helpers import csrf_from as csrf_of  # tests/web is on sys.path (conftest)

from b2bgrowth.experiments import service as registry
from b2bgrowth.experiments.schemas import ExperimentCreate, ExperimentUpdate


def test_setup_form_takes_planned_dates(app, signed_in):
    admin = signed_in("admin")
    token = csrf_of(admin, "/experiments/new")
    assert 'name="planned_start"' in admin.get("/experiments/new").text
    response = admin.post("/experiments/new", follow_redirects=False,
                          data=setup_fields(csrf_token=token, planned_start="2026-03-01", planned_end="2026-05-31"))
    assert response.status_code == 303, response.text[:2000]
    exp = registry.get_experiment(app.state.ws, "onboarding-call")
    assert (exp.planned_start, exp.planned_end) == (date(2026, 3, 1), date(2026, 5, 31))
    page = admin.get("/experiments/onboarding-call").text
    assert 'id="planned-dates"' in page and "2026" in page


@pytest.mark.parametrize("fields, reason", [
    ({"planned_start": "2026-05-01", "planned_end": "2026-04-01"}, "planned_end: 2026-04-01 is before planned_start 2026-05-01"),
    ({"planned_start": "May 1st"}, "planned_start: not a date (YYYY-MM-DD): &#39;May 1st&#39;"),
])
def test_setup_form_refuses_bad_plans_naming_the_field(app, signed_in, fields, reason):
    admin = signed_in("admin")
    token = csrf_of(admin, "/experiments/new")
    response = admin.post("/experiments/new", data=setup_fields(csrf_token=token, **fields))
    assert response.status_code == 422
    assert reason in response.text
    assert 'value="2026-05-01"' in response.text or 'value="May 1st"' in response.text  # typed values kept


@pytest.mark.parametrize("lang, overdue, by", [("en", "overdue for a decision", "by admin"), ("zh_CN", "逾期未决策", "决策人 admin")])
def test_list_marks_overdue_and_shows_the_decider(app, signed_in, lang, overdue, by):
    ws = app.state.ws
    running(ws, planned_end=date.today() - timedelta(days=1))
    client = signed_in("admin", lang)
    row = list_row(client.get("/experiments").text, "late-test")
    assert overdue in row and 'class="badge badge-warn overdue"' in row
    assert overdue in client.get("/experiments/late-test").text
    # decide through the page: the signed-in user is recorded and shown; the overdue mark goes
    token = csrf_of(client, "/experiments/late-test")
    saved = client.post("/experiments/late-test/decision", follow_redirects=False,
                        data={"csrf_token": token, "decision": "iterate", "reason": "too slow to fill"})
    assert saved.status_code == 303
    assert registry.get_experiment(ws, "late-test").decided_by == "admin"
    row = list_row(client.get("/experiments").text, "late-test")
    assert by in row and overdue not in row
    detail = client.get("/experiments/late-test").text
    meta = detail[detail.index('id="decision-meta"'):]
    assert by in meta[:meta.index("</p>")]
    again = client.post("/experiments/late-test/decision", data={"csrf_token": token, "decision": "ship", "reason": "x"})
    assert again.status_code == 422 and "already decided (iterate by admin on" in again.text


def running(ws, planned_end: date) -> None:
    """A running experiment on the seeded accounts, planned from 2026-01-01 to `planned_end`."""
    registry.create_experiment(ws, ExperimentCreate.model_validate({
        "key": "late-test", "planned_start": "2026-01-01", "planned_end": planned_end.isoformat(),
        "metrics": {"primary": [{"name": "converted", "events": ["trial_converted"]}]}}), by="ops")
    registry.start(ws, "late-test")


def list_row(page: str, key: str) -> str:
    row = page[page.index(f'data-key="{key}"'):]
    return row[:row.index("</tr>")]


def test_not_overdue_while_on_plan_or_stopped(app, signed_in):
    ws = app.state.ws
    running(ws, planned_end=date.today())  # the planned last day is still on plan
    plant(ws)  # stopped 2024-06-01, waiting for its decision: the status says so, not the overdue mark
    registry.update_experiment(ws, "free-sample", ExperimentUpdate(planned_end=date(2024, 5, 1)))
    page = signed_in("viewer").get("/experiments").text
    assert "overdue for a decision" not in page
    planned = list_row(page, "late-test").split('class="nowrap planned">')[1].split("</td>")[0]
    assert "Jan 1, 2026 –" in planned  # viewer's language is en: the plan from 2026-01-01 to today


@pytest.mark.parametrize("lang, note", [("en", "confidence sequences"), ("zh_CN", "置信序列")])
def test_sequential_toggle(app, signed_in, lang, note):
    plant(app.state.ws)
    client = signed_in("viewer", lang)
    fixed = client.get("/experiments/free-sample")
    assert fixed.status_code == 200 and 'id="sequential-form"' in fixed.text and 'id="sequential-note"' not in fixed.text
    seq = client.get("/experiments/free-sample?sequential=1&tuning=40")
    assert seq.status_code == 200 and 'id="sequential-note"' in seq.text and note in seq.text
    assert 'name="sequential" value="1" checked' in seq.text and 'value="40"' in seq.text
    # planted: control 7/28, treatment 4/6 → relative effect +166.67 % either way; only the interval widens
    assert "+166.67%" in fixed.text and "+166.67%" in seq.text
    bad = client.get("/experiments/free-sample?sequential=1&tuning=lots")
    assert bad.status_code == 422 and "tuning: a whole number of units, at least 1" in bad.text
