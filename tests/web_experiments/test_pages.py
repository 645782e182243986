"""Experiment pages on both stores: each renders in both languages, roles, CSRF, the set-up form,
start / stop / decision, and the results of a planted experiment (SRM banner, effects, ROI)."""

from __future__ import annotations

import re

import pytest
from planted import plant
from web_helpers import csrf_from as csrf_of  # tests/web is on sys.path (conftest)

PAGES = ["/experiments", "/experiments/calculator", "/experiments/planner", "/experiments/free-sample"]


def setup_fields(**overrides) -> dict:
    fields = {
        "key": "onboarding-call", "name": "Onboarding call", "hypothesis": "A call in week 1 lifts activation",
        "owner": "王磊", "unit": "account", "stratify_by": "tier",
        "variant_name": ["control", "treatment"], "variant_weight": ["0.2", "0.8"],
        "population_tier": ["SMB", "KA"],
        "metric_kind": ["primary", "guardrail"], "metric_name": ["activated", "tickets"],
        "metric_type": ["proportion", "count"], "metric_source": ["events", "events"],
        "metric_events": ["activated", "ticket_opened"], "metric_denominator": ["", ""],
        "metric_property": ["", ""], "metric_window": ["30", "30"], "metric_direction": ["higher", "lower"],
        "metric_value": ["800", ""], "roi_metric": "activated", "roi_cost": "120",
    }
    fields.update(overrides)
    return fields


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_page_renders_in_both_languages(app, signed_in, lang):
    plant(app.state.ws)
    client = signed_in("admin", lang)
    for path in PAGES + ["/experiments/new"]:
        response = client.get(path)
        assert response.status_code == 200, (path, response.text[:500])
        assert f'lang="{lang.replace("_", "-")}"' in response.text
    page = client.get("/experiments").text
    assert ("实验" if lang == "zh_CN" else "Experiments") in page
    assert 'href="/experiments/free-sample"' in page


def test_viewer_reads_but_cannot_create_or_change(app, signed_in):
    plant(app.state.ws)
    viewer = signed_in("viewer")
    for path in PAGES:
        assert viewer.get(path).status_code == 200, path
    assert viewer.get("/experiments/new").status_code == 403
    token = csrf_of(viewer, "/experiments")
    assert viewer.post("/experiments/new", data=setup_fields(csrf_token=token)).status_code == 403
    decision = {"csrf_token": token, "decision": "ship", "reason": "looks good"}
    assert viewer.post("/experiments/free-sample/decision", data=decision).status_code == 403
    assert "Record the decision" not in viewer.get("/experiments/free-sample").text
    # csm is neither admin nor ops: read yes, change no
    csm = signed_in("csm")
    assert csm.post("/experiments/free-sample/decision",
                    data=dict(decision, csrf_token=csrf_of(csm, "/experiments"))).status_code == 403


def test_post_without_csrf_is_refused(app, signed_in):
    plant(app.state.ws)
    admin = signed_in("admin")
    assert admin.post("/experiments/new", data=setup_fields()).status_code == 403
    assert admin.post("/experiments/free-sample/decision", data={"decision": "ship", "reason": "x"}).status_code == 403
    assert admin.post("/experiments/new", data=setup_fields(csrf_token="forged")).status_code == 403


def test_setup_form_creates_the_experiment(app, signed_in):
    from b2bgrowth.experiments.service import get_experiment

    admin = signed_in("admin")
    token = csrf_of(admin, "/experiments/new")
    response = admin.post("/experiments/new", data=setup_fields(csrf_token=token), follow_redirects=False)
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == "/experiments/onboarding-call"
    exp = get_experiment(app.state.ws, "onboarding-call")
    assert [(v.name, v.weight) for v in exp.variants] == [("control", 0.2), ("treatment", 0.8)]
    assert exp.created_by == "admin" and exp.owner == "王磊" and exp.status == "draft"
    assert [m.name for m in exp.metrics.primary] == ["activated"]
    assert exp.metrics.guardrail[0].lower_is_better and exp.metrics.guardrail[0].window_days == 30
    assert exp.metrics.primary[0].value_per_unit == 800 and exp.roi.cost_per_treated_unit == 120
    assert sorted(exp.population.tier) == ["KA", "SMB"]
    page = admin.get("/experiments/onboarding-call").text
    # preview: the seeded population of tier SMB or KA is A1 (KA) + A3, A4 + 30 extras (SMB) = 33 accounts
    assert 'id="assignment-preview"' in page and ">33<" in page
    listing = admin.get("/experiments?status=draft").text
    assert "onboarding-call" in listing and "activated" in listing
    assert "onboarding-call" not in admin.get("/experiments?status=running").text


@pytest.mark.parametrize("weights, reason", [
    (["0.5", "0.4"], "the weights must sum to 1, they sum to 0.9"),
    (["0.5", "abc"], "variants[1].weight: not a number: 'abc'"),
    (["1"], "variants: at least two"),
])
def test_setup_form_rejects_bad_weights_with_the_reason(signed_in, weights, reason):
    admin = signed_in("admin")
    token = csrf_of(admin, "/experiments/new")
    names = ["control", "treatment"][: len(weights)]
    response = admin.post("/experiments/new", data=setup_fields(csrf_token=token, variant_name=names,
                                                                 variant_weight=weights))
    assert response.status_code == 422
    assert reason in response.text.replace("&#39;", "'")
    assert 'value="onboarding-call"' in response.text  # the form comes back filled in


def test_setup_form_reports_schema_errors_and_duplicates(app, signed_in):
    admin = signed_in("admin")
    token = csrf_of(admin, "/experiments/new")
    bad_key = admin.post("/experiments/new", data=setup_fields(csrf_token=token, key="Bad Key!"))
    assert bad_key.status_code == 422 and "key:" in bad_key.text
    assert admin.post("/experiments/new", data=setup_fields(csrf_token=token), follow_redirects=False).status_code == 303
    again = admin.post("/experiments/new", data=setup_fields(csrf_token=token))
    assert again.status_code == 422 and "already exists" in again.text


def test_start_stop_and_decision(app, signed_in):
    admin = signed_in("admin")
    token = csrf_of(admin, "/experiments/new")
    admin.post("/experiments/new", data=setup_fields(csrf_token=token), follow_redirects=False)
    early = admin.post("/experiments/onboarding-call/decision", data={"csrf_token": token, "decision": "ship", "reason": "x"})
    assert early.status_code == 422 and "start it first" in early.text
    assert admin.post("/experiments/onboarding-call/start", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    assert "status-running" in admin.get("/experiments/onboarding-call").text
    again = admin.post("/experiments/onboarding-call/start", data={"csrf_token": token})
    assert again.status_code == 422 and "only a draft can start" in again.text
    assert admin.post("/experiments/onboarding-call/stop", data={"csrf_token": token}, follow_redirects=False).status_code == 303
    no_reason = admin.post("/experiments/onboarding-call/decision", data={"csrf_token": token, "decision": "ship", "reason": " "})
    assert no_reason.status_code == 422 and "needs its reason" in no_reason.text
    saved = admin.post("/experiments/onboarding-call/decision",
                       data={"csrf_token": token, "decision": "roll_back", "reason": "Activation flat, tickets up"},
                       follow_redirects=False)
    assert saved.status_code == 303
    page = admin.get("/experiments/onboarding-call").text
    assert "Roll back" in page and "Activation flat, tickets up" in page and 'id="decision-meta"' in page
    assert "Record the decision" not in page
    from b2bgrowth.experiments.service import get_experiment

    exp = get_experiment(app.state.ws, "onboarding-call")
    assert (exp.status, exp.decision, exp.decision_reason) == ("decided", "roll_back", "Activation flat, tickets up")
    assert exp.decided_at is not None
    assert "回滚" in signed_in("admin", "zh_CN").get("/experiments/onboarding-call").text


def test_unknown_experiment_is_404(signed_in):
    assert signed_in("admin").get("/experiments/no-such-test").status_code == 404


def test_results_of_the_planted_experiment(app, signed_in):
    counts = plant(app.state.ws)
    assert counts == {"control": 28, "treatment": 6}
    page = signed_in("admin", "en").get("/experiments/free-sample").text
    # SRM: χ² = 2 × 11² / 17 = 14.235, 1 degree of freedom → p = 1.61e-4 (3 significant digits)
    assert 'id="srm-banner"' in page and "SRM p = 0.000161" in page
    assert "control 28" in page and "treatment 6" in page
    # 25.0 % vs 66.7 %; relative effect (4/6 − 7/28) ÷ (7/28) = 1.6667 → +166.67 %; absolute 0.4167
    assert "25.0%" in page and "66.7%" in page and "+166.67%" in page and "+0.4167" in page
    assert 'data-intervals="' in page and "chart-1" in page
    # ROI: incremental value = 0.41667 × ¥1,000 × 6 treated = 2,500; cost 50 × 6 = 300; net 2,200; ROI 733.3 %
    roi = page[page.index('id="roi"'):]
    assert "2,500" in roi and "300" in roi and "2,200" in roi and "733.3%" in roi
    # segment charts with the too-small note (every segment has < 30 units per arm here)
    assert "Too small (fewer than 30 units in an arm)" in page


def test_balanced_experiment_has_no_srm_banner(app, signed_in):
    plant(app.state.ws, treated=17, control_conversions=3, treated_conversions=5)  # 17 / 17 units: p = 1
    page = signed_in("admin").get("/experiments/free-sample").text
    assert 'id="srm-banner"' not in page
    assert re.search(r"\+66\.67%", page)  # (5/17 − 3/17) ÷ (3/17) = 2/3


def test_metric_rows_offer_the_event_names_seen(app, signed_in):
    plant(app.state.ws)  # ingests "trial_converted" events
    page = signed_in("admin").get("/experiments/new").text
    assert '<datalist id="known-events"><option value="trial_converted"></datalist>' in page
