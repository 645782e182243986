"""Predicted conversion: labels, a planted dataset it must learn, calibration, too little history,
retraining when the data moves, and the CLI."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pandas as pd
from sqlalchemy import insert
from typer.testing import CliRunner

from b2bgrowth.leads.models import Lead, Touch
from b2bgrowth.leads.prediction import closed_labels, current_model, model_path
from tests.leads.helpers import add_opportunities

START = datetime(2023, 1, 2, 9)


def test_labels_from_status_and_opportunities():
    frame = pd.DataFrame({
        "lead_id": ["cust", "won", "lost", "mixed", "dq", "open", "open_opp"],
        "status": ["customer", "sql", "opportunity", "opportunity", "disqualified", "mql", "opportunity"],
        "created_at": pd.to_datetime(["2024-01-01"] * 7),
    })
    opps = pd.DataFrame({
        "lead_id": ["won", "lost", "lost", "mixed", "mixed", "open_opp"],
        "status": ["won", "lost", "lost", "lost", "open", "open"],
        "closed_at": pd.to_datetime(["2024-03-01", "2024-02-01", "2024-04-01", "2024-02-01", "2024-05-01", "2024-06-01"]),
    })
    touches = pd.DataFrame({"lead_id": ["dq"], "at": pd.to_datetime(["2024-01-20"])})
    labels = closed_labels(frame, opps, touches).set_index("lead_id")
    # customer → 1 (no opportunity: closed at creation); a won opportunity → 1 whatever the status;
    # only lost opportunities → 0 (closed at the last loss); lost + open → still open; disqualified → 0
    # (closed at its last touch); mql and an open opportunity → still open.
    assert labels["converted"].to_dict() == {"cust": 1, "won": 1, "lost": 0, "dq": 0}
    assert labels["closed_at"].dt.strftime("%Y-%m-%d").to_dict() == {
        "cust": "2024-01-01", "won": "2024-03-01", "lost": "2024-04-01", "dq": "2024-01-20"}


def plant(ws, n_closed: int, seed: int = 7, n_open: int = 20, converted_share: float | None = None) -> None:
    """Closed leads whose conversion follows a known logistic rule on title, size, channel and demos.

    logit = −1.6 + 1.4·decision maker + 0.9·(employees ≥ 200) + 0.8·demos + 1.0·referral − 1.0·ads
    """
    rng = np.random.default_rng(seed)
    leads, touches = [], []
    channels = np.array(["referral", "sem", "event", "ads"])
    for i in range(n_closed + n_open):
        decision = rng.random() < 0.35
        employees = int(rng.lognormal(np.log(120), 1.0)) + 1
        channel = str(channels[rng.integers(4)])
        demos = int(rng.poisson(1.0))
        logit = -1.6 + 1.4 * decision + 0.9 * (employees >= 200) + 0.8 * demos + (channel == "referral") - (channel == "ads")
        p = 1 / (1 + math.exp(-logit)) if converted_share is None else converted_share
        created = START + timedelta(hours=12 * i)
        status = "new" if i >= n_closed else ("customer" if rng.random() < p else "disqualified")
        leads.append({"lead_id": f"P{i:05d}", "created_at": created, "employees": employees, "channel": channel,
                      "title": "CEO" if decision else "analyst", "status": status, "email": f"p{i}@planted.test"})
        for k in range(demos):
            touches.append({"touch_id": f"P{i:05d}-d{k}", "at": created + timedelta(days=k + 1), "kind": "demo",
                            "lead_id": f"P{i:05d}"})
        touches.append({"touch_id": f"P{i:05d}-e", "at": created, "kind": "email", "lead_id": f"P{i:05d}"})
    with ws.store.write(touched=["leads", "touches"]) as session:
        session.execute(insert(Lead), leads)
        session.execute(insert(Touch), touches)


def test_planted_conversion_beats_no_skill_and_is_calibrated(ws):
    plant(ws, n_closed=1600)
    report = ws.report("lead-model")
    assert report["status"] == "trained", report["message"]
    # Time-ordered split: newest 25 % hold-out (400); of the older 1200, 960 fit and 240 calibrate.
    assert report["split"] == {"fit": 960, "calibration": 240, "holdout": 400}
    print(f"\n[{ws.store.url.split(':')[0]}] planted lead-conversion model: hold-out AUC {report['auc']:.3f} "
          f"(no-skill 0.5), mean predicted {report['mean_predicted']:.3f} vs observed {report['holdout_rate']:.3f}")
    assert report["auc"] > 0.7
    # Calibrated: on the hold-out the mean predicted probability is the observed rate within three
    # standard errors of that rate: 3·√(0.445·0.555/400) ≈ 0.075 (calibration learnt on 240 other leads).
    rate = report["holdout_rate"]
    assert abs(report["mean_predicted"] - rate) < 3 * math.sqrt(rate * (1 - rate) / 400)
    # Lift: the top decile converts better than the bottom one.
    assert report["deciles"][0]["rate"] > report["deciles"][-1]["rate"]
    assert sum(d["leads"] for d in report["deciles"]) == 400
    assert sum(c["leads"] for c in report["calibration"]) == 400
    # The model is saved under data_dir/models/ with the revisions it was trained on.
    assert model_path(ws).exists() and report["revision"]["leads"] >= 1
    # Open leads get a probability and three reasons; a referred CEO with 5 demos beats an ads analyst.
    rows = {r["lead_id"]: r for r in ws.report("leads", status="new")["leads"]}
    assert len(rows) == 20 and all(0 <= r["predicted_conversion"] <= 1 for r in rows.values())
    assert all(len([x for x in r["reasons"] if x["kind"] == "prediction"]) == 3 for r in rows.values())


def test_stronger_lead_predicts_higher(ws):
    plant(ws, n_closed=800, seed=11, n_open=0)
    with ws.store.write(touched=["leads", "touches"]) as session:
        session.execute(insert(Lead), [
            {"lead_id": "HOT", "created_at": START, "employees": 900, "channel": "referral", "title": "CEO", "status": "new"},
            {"lead_id": "COLD", "created_at": START, "employees": 5, "channel": "ads", "title": "analyst", "status": "new"}])
        session.execute(insert(Touch), [{"touch_id": f"H{k}", "at": START, "kind": "demo", "lead_id": "HOT"} for k in range(5)])
    rows = {r["lead_id"]: r for r in ws.report("leads", status="new")["leads"]}
    assert rows["HOT"]["predicted_conversion"] > rows["COLD"]["predicted_conversion"]
    top = [x["text"] for x in rows["HOT"]["reasons"] if x["kind"] == "prediction"]
    assert any(t.startswith("touches_demo") for t in top), top


def test_too_little_history_gives_null_with_the_reason(ws):
    plant(ws, n_closed=150, n_open=3)
    report = ws.report("lead-model")
    assert report["status"] == "insufficient_history"
    assert "150 closed leads" in report["message"] and "at least 200" in report["message"]
    rows = ws.report("leads")["leads"]
    assert all(r["predicted_conversion"] is None for r in rows)
    assert all(r["reasons"][-1]["text"] == report["message"] for r in rows)


def test_too_few_of_one_class(ws):
    plant(ws, n_closed=300, n_open=0, converted_share=0.03)
    report = ws.report("lead-model")
    assert report["status"] == "insufficient_history" and "20 of each outcome" in report["message"]


def test_retrained_when_the_data_moves(ws):
    plant(ws, n_closed=400, n_open=0, seed=3)
    first = current_model(ws)
    assert current_model(ws).trained_at == first.trained_at  # fresh: not trained again
    add_opportunities(ws, {"opportunity_id": "O1", "lead_id": "P00001", "status": "won", "close_date": datetime(2024, 1, 1).date()})
    second = current_model(ws)
    assert second.revisions["opportunities"] == first.revisions["opportunities"] + 1
    assert second.key != first.key


def test_cli_train_and_score(tmp_path):
    from b2bgrowth.cli.main import build_app
    from b2bgrowth.settings import Settings
    from b2bgrowth.workspace import Workspace

    data = tmp_path / "data"
    ws = Workspace(Settings(data_dir=data, secret_key="test-secret-key-0123456789"))
    plant(ws, n_closed=400, n_open=5, seed=5)
    ws.close()
    runner = CliRunner()
    result = runner.invoke(build_app(), ["--data-dir", str(data), "leads", "train"])
    assert result.exit_code == 0, result.output
    assert "hold-out AUC" in result.output and "decile  1" in result.output
    result = runner.invoke(build_app(), ["--data-dir", str(data), "leads", "score", "--status", "new"])
    assert result.exit_code == 0, result.output
    assert "5 merged leads" in result.output
    result = runner.invoke(build_app(), ["--data-dir", str(data), "leads", "score", "--status", "won"])
    assert result.exit_code == 1 and "'won' is not one of" in result.output
    result = runner.invoke(build_app(), ["--data-dir", str(data), "report", "leads", "--status", "new", "--json"])
    assert result.exit_code == 0 and '"predicted_conversion"' in result.output
