"""`analyze(..., sequential=True)`: the always-valid confidence sequence for every metric, from the data.

A small planted test whose per-variant sums are those of docs/experiments.md §1:
control logins 3, 5, 4, 6, 7 (n = 5, Σ = 25, Σ² = 135), treatment 6, 8, 5, 9, 7, 10, 4 (n = 7, Σ = 49,
Σ² = 371). No pre-period events, so CUPED has nothing to regress on (θ = 0) and the effect is plain.
"""

from __future__ import annotations

import json
import math
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete
from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app
from b2bgrowth.experiments import service as registry
from b2bgrowth.experiments.analysis import analyze
from b2bgrowth.experiments.models import ExperimentAssignment
from b2bgrowth.experiments.schemas import ExperimentCreate, ExperimentError
from b2bgrowth.experiments.stats import compute

from .planted import START, add_accounts, events_table

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "web"))
from seed_company import seed_users  # noqa: E402

KEY = "peek"
CONTROL = [3, 5, 4, 6, 7]
TREATMENT = [6, 8, 5, 9, 7, 10, 4]
AS_OF = START + timedelta(days=31)


def plant_small(ws) -> None:
    ids = add_accounts(ws, tiers={"A": 12}, prefix="SEQ")
    registry.create_experiment(ws, ExperimentCreate.model_validate({
        "key": KEY, "stratify_by": None,
        "metrics": {"primary": [{"name": "logins", "type": "count", "events": ["login"], "window_days": 30}]},
    }), by="tester")
    registry.start(ws, KEY, at=START)
    arms = [("control", u, k) for u, k in zip(ids[:5], CONTROL)] + [("treatment", u, k) for u, k in zip(ids[5:], TREATMENT)]
    with ws.store.write(touched=["experiments"]) as session:  # the split as planted, not the hash's
        session.execute(delete(ExperimentAssignment).where(ExperimentAssignment.experiment_key == KEY))
        session.add_all(ExperimentAssignment(experiment_key=KEY, unit_id=u, variant=v, stratum="all", assigned_at=START)
                        for v, u, _ in arms)
    rows = [(u, START + timedelta(days=1 + i), "login") for _, u, k in arms for i in range(k)]
    ws.events.ingest_arrow(events_table(rows, "S"))


def _calculator(tuning: float, difference: str) -> dict:
    return compute({"engine": "frequentist", "difference": difference, "sequential": True, "sequential_tuning": tuning,
                    "metric": {"type": "mean"},
                    "variants": [{"name": "control", "n": 5, "sum": 25, "sum_squares": 135},
                                 {"name": "treatment", "n": 7, "sum": 49, "sum_squares": 371}]})["results"][0]


def test_sequential_interval_is_wider_and_matches_the_calculator(ws):
    plant_small(ws)
    fixed = analyze(ws, KEY, as_of=AS_OF)["metrics"][0]["results"][0]
    result = analyze(ws, KEY, as_of=AS_OF, sequential=True, tuning=12)
    assert result["sequential"] == {"tuning": 12}
    block = result["metrics"][0]
    assert [(v["n"], v["sum"]) for v in block["variants"]] == [(5, 25), (7, 49)]
    seq = block["results"][0]
    assert seq["cuped"] is False

    # By hand. Δ = 49/7 − 25/5 = 2; Var = 4.6667/7 + 2.5/5 = 1.16667 (variances (371 − 343)/6, (135 − 125)/4).
    # Fixed (Welch, df 9.966): 2 ± 2.2292·1.0801 = [−0.408, 4.408].
    # Sequential, N* = 12, N = 12: ρ² = (−2 ln 0.05 + ln(1 − 2 ln 0.05))/12 = (5.99146 + 1.94469)/12 = 0.661346,
    # Nρ² = 7.93615, s² = 1.16667·12 = 14,
    # h = sqrt(14)·sqrt(2·8.93615/(144·0.661346) · ln(sqrt(8.93615)/0.05)) = 3.74166·sqrt(0.187668·4.090786) = 3.2784.
    rho2 = (-2 * math.log(0.05) + math.log(1 - 2 * math.log(0.05))) / 12
    h = math.sqrt(14) * math.sqrt(2 * (12 * rho2 + 1) / (144 * rho2) * math.log(math.sqrt(12 * rho2 + 1) / 0.05))
    assert h == pytest.approx(3.2784, abs=1e-4)
    assert seq["effect"] == pytest.approx(2.0, abs=1e-12)
    assert (seq["ci_low"], seq["ci_high"]) == (pytest.approx(2 - h, abs=1e-9), pytest.approx(2 + h, abs=1e-9))
    assert (fixed["ci_low"], fixed["ci_high"]) == (pytest.approx(-0.408, abs=1e-3), pytest.approx(4.408, abs=1e-3))
    assert seq["ci_high"] - seq["ci_low"] > fixed["ci_high"] - fixed["ci_low"]
    # e-value: exp(ρ²·N·Δ²/(2·Var·(Nρ² + 1)))/sqrt(Nρ² + 1) = exp(7.93615·4/(2.33333·8.93615))/2.98934
    #        = exp(1.52245)/2.98934 = 1.53326, so p = 1/1.53326 = 0.65221 (fixed p = 0.0939)
    e = math.exp(rho2 * 12 * 4 / (2 * (14 / 12) * (12 * rho2 + 1))) / math.sqrt(12 * rho2 + 1)
    assert seq["p_value"] == pytest.approx(1 / e, abs=1e-12)
    assert seq["p_value"] == pytest.approx(0.65221, abs=1e-5)
    assert seq["p_value"] > fixed["p_value"]
    assert seq["verdict"] == "flat"  # 0 lies inside [−1.28, 5.28]

    # The stats calculator on the same n / sum / sum_squares gives the same numbers to 1e-9.
    for difference, prefix in (("absolute", ""), ("relative", "relative_")):
        calc = _calculator(12, difference)
        for field in ("effect", "ci_low", "ci_high"):
            assert seq[f"{prefix}{field}"] == pytest.approx(calc[field], abs=1e-9), (difference, field)
    calc = _calculator(12, "absolute")
    assert (seq["p_value"], seq["std_error"]) == (pytest.approx(calc["p_value"], abs=1e-9), pytest.approx(calc["std_error"], abs=1e-9))
    # default tuning 5000: the sequence is tightest far beyond 12 units, so here it is wider still
    wide = analyze(ws, KEY, as_of=AS_OF, sequential=True)["metrics"][0]["results"][0]
    assert wide["ci_low"] == pytest.approx(_calculator(5000, "absolute")["ci_low"], abs=1e-9)
    assert wide["ci_low"] < seq["ci_low"]
    with pytest.raises(ExperimentError, match="tuning"):
        analyze(ws, KEY, as_of=AS_OF, sequential=True, tuning=0)


def test_cli_sequential(ws):
    plant_small(ws)
    base = ["--data-dir", str(ws.settings.data_dir)] + (["--database-url", ws.settings.database_url] if ws.settings.database_url else [])
    app = build_app()
    out = CliRunner().invoke(app, [*base, "experiment", "analyze", KEY, "--as-of", AS_OF.isoformat(),
                                   "--sequential", "--tuning", "12", "--json"])
    assert out.exit_code == 0, out.output
    body = json.loads(out.stdout)
    assert body["sequential"] == {"tuning": 12}
    assert body["metrics"][0]["results"][0]["ci_high"] == pytest.approx(_calculator(12, "absolute")["ci_high"], abs=1e-9)
    fixed = json.loads(CliRunner().invoke(app, [*base, "experiment", "analyze", KEY, "--as-of", AS_OF.isoformat(), "--json"]).stdout)
    assert fixed["sequential"] is None
    bad = CliRunner().invoke(app, [*base, "experiment", "analyze", KEY, "--sequential", "--tuning", "0"])
    assert bad.exit_code == 1 and "--tuning" in bad.output
    human = CliRunner().invoke(app, [*base, "experiment", "analyze", KEY, "--as-of", AS_OF.isoformat(), "--sequential"])
    assert human.exit_code == 0 and "always-valid" in human.output


def test_api_sequential(ws):
    from b2bgrowth.auth import service
    from b2bgrowth.web.app import create_app

    seed_users(ws)
    plant_small(ws)
    client = TestClient(create_app(ws))
    client.headers["Authorization"] = f"Bearer {service.create_token(ws, 'viewer')}"
    path = f"/api/v1/experiments/{KEY}/results?as_of={AS_OF.isoformat()}"
    ok = client.get(path + "&sequential=true&tuning=12")
    assert ok.status_code == 200, ok.text
    assert ok.json()["sequential"] == {"tuning": 12}
    assert ok.json()["metrics"][0]["results"][0]["ci_low"] == pytest.approx(_calculator(12, "absolute")["ci_low"], abs=1e-9)
    assert client.get(path).json()["sequential"] is None
    bad = client.get(path + "&sequential=true&tuning=0")
    assert bad.status_code == 422 and "tuning" in bad.text
