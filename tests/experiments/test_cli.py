"""`b2bgrowth experiment stats|plan`: the JSON contract round trip and its error messages."""

import json

import pytest
from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app
from b2bgrowth.experiments.stats import compute

from .samples import variant

runner = CliRunner()
APP = build_app()


def stats(payload, *args):
    text = payload if isinstance(payload, str) else json.dumps(payload)
    return runner.invoke(APP, ["experiment", "stats", "--json", *args], input=text)


CONTRACT = {
    "engine": "frequentist",
    "difference": "absolute",
    "alpha": 0.05,
    "sequential": False,
    "sequential_tuning": 5000,
    "weights": [1, 1],
    "metric": {"type": "mean"},
    "variants": [variant("control", [3, 5, 4, 6, 7]), variant("treatment", [6, 8, 5, 9, 7, 10, 4])],
}


def test_round_trip_frequentist():
    result = stats(CONTRACT)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["srm_p_value"] == pytest.approx(0.5637028, abs=1e-6)  # χ² = 2·1²/6 = 1/3, 1 df
    (row,) = out["results"]
    assert row["variant"] == "treatment" and row["effect"] == 2
    assert set(row) >= {"effect", "ci_low", "ci_high", "std_error", "p_value"}
    assert row["std_error"] == pytest.approx((7 / 6) ** 0.5)


def test_round_trip_bayesian_lower_is_better_and_multiple_variants():
    payload = dict(CONTRACT, engine="bayesian", difference="relative", weights=None)
    payload["variants"] = CONTRACT["variants"] + [variant("cheaper", [2, 4, 3, 5, 4, 3])]
    up = json.loads(stats(payload).stdout)
    down = json.loads(stats(payload, "--lower-is-better").stdout)
    assert [r["variant"] for r in up["results"]] == ["treatment", "cheaper"]
    assert down["results"][0]["chance_to_win"] == pytest.approx(1 - up["results"][0]["chance_to_win"])
    same = compute(dict(payload, metric={"type": "mean", "inverse": True}))
    assert same["results"][0]["risk"] == pytest.approx(down["results"][0]["risk"])


def test_cuped_and_correction_across_metrics():
    pre_a, post_a = [10, 12, 9, 14, 11, 8], [12, 15, 10, 17, 13, 9]
    pre_b, post_b = [11, 9, 13, 10, 12, 14], [15, 11, 17, 13, 15, 18]
    payload = {
        "difference": "absolute",
        "correction": "holm",
        "metrics": [
            {"name": "usage", "type": "mean", "variants": [variant("a", post_a, pre_a), variant("b", post_b, pre_b)]},
            {"name": "renewed", "type": "proportion", "variants": [
                {"name": "a", "n": 6, "sum": 2}, {"name": "b", "n": 6, "sum": 4}]},
        ],
    }
    result = stats(payload)
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    rows = [m["results"][0] for m in out["metrics"]]
    assert "theta" in rows[0]
    low, high = sorted(r["p_value"] for r in rows)
    assert sorted(r["p_value_adjusted"] for r in rows) == pytest.approx([min(1, 2 * low), max(min(1, 2 * low), high)])


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda p: p["variants"][1].update(n=1), "variants[1].n: must be more than 1"),
        (lambda p: p["variants"][0].pop("sum"), "variants[0].sum: missing"),
        (lambda p: p["variants"][0].update(sum=-4), "variants[0].sum: negative"),
        (lambda p: p["variants"][0].update(sum_squares=1), "variants[0].sum_squares"),
        (lambda p: p.update(metric={"type": "proportion"}) or p["variants"][0].update(sum=99), "variants[0].sum: 99 conversions out of n = 5"),
        (lambda p: p.pop("metric"), "metric: missing"),
        (lambda p: p.update(alpha=1.5), "alpha: must lie strictly between 0 and 1"),
        (lambda p: p.update(engine="magic"), "engine: must be one of"),
        (lambda p: p.update(weights=[1]), "weights: must be a list of 2 numbers"),
        (lambda p: p.update(engine="bayesian", sequential=True), "sequential:"),
        (lambda p: p["variants"][0].update(covariate_sum=3), "covariate"),
        (lambda p: p.update(variants=p["variants"][:1]), "variants: a list of at least 2"),
    ],
)
def test_bad_input_names_the_field(change, message):
    payload = json.loads(json.dumps(CONTRACT))
    change(payload)
    result = stats(payload)
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split()), result.stderr
    assert "Traceback" not in result.output


def test_not_json_and_empty_input():
    assert "not valid JSON at line 1" in stats("{nope").stderr
    assert "empty" in stats("").stderr


def test_negative_sums_allowed_when_the_metric_says_so():
    payload = json.loads(json.dumps(CONTRACT))
    payload["metric"]["allow_negative"] = True
    payload["variants"][0] = variant("control", [-3, 5, -4, 6, 7])
    assert stats(payload).exit_code == 0


def test_zero_baseline_gives_a_per_variant_error_not_a_crash():
    payload = {"metric": {"type": "proportion"}, "variants": [{"name": "a", "n": 10, "sum": 0}, {"name": "b", "n": 10, "sum": 3}]}
    out = json.loads(stats(payload).stdout)
    assert out["results"][0]["effect"] is None and "baseline mean is 0" in out["results"][0]["error"]


def test_plan_command():
    result = runner.invoke(APP, ["experiment", "plan", "--json", "--baseline", "0.1", "--mde", "0.02", "--difference", "absolute",
                                 "--units", "2000", "--arrivals-per-day", "40"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["sample_size_per_arm"] == 3839 and out["duration_days"] == 192
    assert out["warnings"] and out["warnings"][0].startswith("underpowered")
    bad = runner.invoke(APP, ["experiment", "plan", "--metric", "mean", "--baseline", "5", "--mde", "1"])
    assert bad.exit_code == 1 and "--std-dev" in bad.stderr
