"""The stats calculator and the planner pages: hand-computed results, bad input shown with its
reason (never a 500), htmx partials, viewers may use them (GET only).

Neither page reads the store beyond counting accounts, so this module runs on SQLite only
(test_pages.py renders every page on both stores)."""

from __future__ import annotations

import html
import math
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy import stats
from seed_company import seed_company, seed_users

from b2bgrowth.web.app import create_app

CALC = "/experiments/calculator"
HTMX = {"HX-Request": "true"}


@pytest.fixture
def app(sqlite_ws):
    seed_users(sqlite_ws)
    seed_company(sqlite_ws, extra_accounts=30)
    return create_app(sqlite_ws)


def calculator(client, headers=None, **fields):
    params = {"variants": "1", "engine": "frequentist", "difference": "absolute", "alpha": "0.05",
              "metric_type": "mean", **fields}
    return client.get(CALC, params=params, headers=headers or {})


def shown(page: str, attribute: str) -> list[float]:
    return [float(v) for v in re.findall(rf'{attribute}="([^"]+)"', page)]


def test_mean_metric_matches_welch_t_by_hand(signed_in):
    # control 1,2,3,4,5: n 5, Σ 15, Σx² 55 → mean 3, var (55 − 15²/5)/4 = 2.5
    # treatment 3,5,6,8: n 4, Σ 22, Σx² 134 → mean 5.5, var (134 − 22²/4)/3 = 13/3
    # effect 5.5 − 3 = 2.5; se² = 2.5/5 + (13/3)/4 = 1.58333; t = 2.5/1.25831 = 1.98678
    page = calculator(signed_in("admin"), name=["control", "treatment"], n=["5", "4"], sum=["15", "22"],
                      sum_squares=["55", "134"]).text
    expected = stats.ttest_ind([3, 5, 6, 8], [1, 2, 3, 4, 5], equal_var=False)  # the independent cross-check
    assert shown(page, "data-effect") == [pytest.approx(2.5, abs=1e-12)]
    assert shown(page, "data-p") == [pytest.approx(expected.pvalue, rel=1e-9)]
    assert "+2.5" in page and f"{expected.pvalue:.3g}" in page
    assert math.isclose(2.5 / math.sqrt(2.5 / 5 + 13 / 3 / 4), expected.statistic, rel_tol=1e-12)


def test_proportion_relative_effect_and_ttest_from_stats(signed_in):
    # 100 / 1,000 vs 130 / 1,000: absolute 0.03, relative 0.03 / 0.1 = +30.00 %;
    # variances p(1−p) = 0.09 and 0.1131 → Welch as scipy.stats.ttest_ind_from_stats with those stds
    client = signed_in("viewer", "en")  # read-only users may use the calculator
    page = calculator(client, metric_type="proportion", name=["control", "treatment"], n=["1000", "1000"],
                      sum=["100", "130"]).text
    expected = stats.ttest_ind_from_stats(0.13, math.sqrt(0.1131), 1000, 0.10, math.sqrt(0.09), 1000, equal_var=False)
    assert shown(page, "data-effect") == [pytest.approx(0.03, abs=1e-12)]
    assert shown(page, "data-p") == [pytest.approx(expected.pvalue, rel=1e-9)]
    assert "10.0%" in page and "13.0%" in page  # conversion rates
    relative = calculator(client, metric_type="proportion", difference="relative", name=["control", "treatment"],
                          n=["1000", "1000"], sum=["100", "130"]).text
    assert shown(relative, "data-effect") == [pytest.approx(0.3, abs=1e-12)] and "+30.00%" in relative
    assert 'data-intervals="' in relative


def test_default_example_and_zh_labels(signed_in):
    page = signed_in("admin", "zh_CN").get(CALC)
    assert page.status_code == 200
    assert "统计计算器" in page.text and "+30.00%" in page.text and "效应" in page.text


def test_srm_banner_on_the_calculator(signed_in):
    # 1,000 vs 800 with equal weights: χ² = (100² + 100²)/900 = 22.22, 1 dof → p = 2.43e-06 < 0.001
    page = calculator(signed_in("admin"), metric_type="proportion", name=["a", "b"], n=["1000", "800"],
                      sum=["100", "90"]).text
    assert f"{stats.chi2.sf(200 / 9, 1):.3g}" == "2.43e-06"
    assert "srm-banner" in page and "SRM p = 2.43e-06" in page


@pytest.mark.parametrize("fields, reason", [
    ({"metric_type": "proportion", "name": ["a", "b"], "n": ["100", "100"], "sum": ["10", "120"]},
     "variants[1].sum: 120 conversions out of n = 100 units; a proportion's sum cannot exceed n"),
    ({"name": ["a", "b"], "n": ["10", "ten"], "sum": ["1", "2"], "sum_squares": ["1", "2"]},
     "variants[1].n: not a number: 'ten'"),
    ({"name": ["a", "b"], "n": ["1", "10"], "sum": ["1", "2"], "sum_squares": ["1", "2"]},
     "variants[0].n: must be more than 1 unit for a variance, got 1"),
    ({"name": ["a"], "n": ["10"], "sum": ["1"], "sum_squares": ["1"]},
     "variants: a list of at least 2 variants is required"),
    ({"alpha": "1.5", "name": ["a", "b"], "n": ["10", "10"], "sum": ["1", "2"], "sum_squares": ["1", "2"]},
     "alpha: must lie strictly between 0 and 1, got 1.5"),
    ({"name": ["a", "b"], "n": ["10", "10"], "sum": ["5", "2"], "sum_squares": ["1", "2"]},
     "variants[0].sum_squares: 1 is below sum²/n = 2.5, which no data can give"),
    ({"engine": "bayesian", "sequential": "1", "name": ["a", "b"], "n": ["10", "10"], "sum": ["1", "2"],
      "sum_squares": ["1", "2"]}, "sequential: confidence sequences belong to the frequentist engine"),
])
def test_bad_input_shows_the_stats_package_reason(signed_in, fields, reason):
    client = signed_in("admin")
    full = calculator(client, **fields)
    assert full.status_code == 422
    assert reason in html.unescape(full.text)
    partial = calculator(client, headers=HTMX, **fields)
    assert partial.status_code == 200 and "<html" not in partial.text  # htmx swaps only 2xx answers
    assert reason in html.unescape(partial.text) and 'id="calculator-error"' in partial.text


def test_cuped_fields_and_bayesian_engine(signed_in):
    client = signed_in("admin")
    cuped = calculator(client, name=["a", "b"], n=["5", "4"], sum=["15", "22"], sum_squares=["55", "134"],
                       covariate_sum=["10", "9"], covariate_sum_squares=["30", "25"],
                       covariate_product_sum=["40", "55"])
    assert cuped.status_code == 200 and len(shown(cuped.text, "data-effect")) == 1
    half = calculator(client, name=["a", "b"], n=["5", "4"], sum=["15", "22"], sum_squares=["55", "134"],
                      covariate_sum=["10", ""], covariate_sum_squares=["30", ""], covariate_product_sum=["40", ""])
    assert half.status_code == 422 and "give them for all or none" in html.unescape(half.text)
    bayes = calculator(client, engine="bayesian", name=["a", "b"], n=["5", "4"], sum=["15", "22"],
                       sum_squares=["55", "134"])
    # flat prior: chance to win = Φ(2.5 / 1.25831) = 97.7 %
    assert f"{stats.norm.cdf(2.5 / math.sqrt(2.5 / 5 + 13 / 12)) * 100:.1f}%" in bayes.text


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.text(max_size=6), st.integers(-5, 50).map(str), st.just(""), st.just("1e400")),
                min_size=8, max_size=8))
def test_any_input_gives_a_page_never_a_500(signed_in_once, values):
    n, s, q = values[0:2], values[2:4], values[4:6]
    response = calculator(signed_in_once, metric_type=values[6] or "mean", name=["a", values[7]], n=n, sum=s,
                          sum_squares=q)
    assert response.status_code in (200, 422)


@pytest.fixture
def signed_in_once(signed_in):
    return signed_in("admin")


# ------------------------------------------------------------------ planner

PLANNER = "/experiments/planner"


def test_planner_sample_size_by_hand(signed_in):
    # baseline 10 %, MDE +20 % relative → 12 %; n = (z_.975 + z_.8)² (0.1·0.9 + 0.12·0.88) / 0.02²
    z = stats.norm.ppf(0.975) + stats.norm.ppf(0.8)
    per_arm = math.ceil(z**2 * (0.09 + 0.1056) / 0.02**2)  # = 3,839
    page = signed_in("admin").get(PLANNER, params={"metric": "proportion", "baseline": "0.1", "mde": "0.2",
                                                   "difference": "relative", "alpha": "0.05", "power": "0.8",
                                                   "arms": "2", "units": "34", "arrivals_per_day": "10"}).text
    assert per_arm == 3839
    assert f'data-kpi="per-arm">{per_arm:,}<' in page and f'data-kpi="total">{2 * per_arm:,}<' in page
    assert f"{math.ceil(2 * per_arm / 10)} days" in page  # 768 days at 10 a day
    assert 'id="planner-warnings"' in page and "Underpowered: 17 units per arm" in page


def test_planner_defaults_use_the_accounts_you_have(signed_in):
    page = signed_in("viewer", "zh_CN").get(PLANNER).text
    assert 'name="units" value="34"' in page  # 4 named accounts + 30 extras in the seeded company
    assert "样本量规划" in page and "检验效能不足" in page


@pytest.mark.parametrize("params, reason", [
    ({"baseline": "1.5", "mde": "0.1"}, "baseline: a conversion rate strictly between 0 and 1, got 1.5"),
    ({"baseline": "0.1", "mde": "", "units": ""}, "give an MDE (for a sample size) and/or the units you have"),
    ({"metric": "mean", "baseline": "100", "mde": "0.1"}, "std_dev: a positive per-unit standard deviation"),
    ({"baseline": "0.5", "mde": "1.5"}, "mde: moves the conversion rate to 1.25, outside (0, 1)"),
    ({"baseline": "x", "mde": "0.1"}, "baseline: not a number: 'x'"),
    ({"baseline": "0.1", "mde": "0.1", "arms": "1"}, "arms: a whole number, at least 2"),
])
def test_planner_bad_input(signed_in, params, reason):
    client = signed_in("admin")
    full = client.get(PLANNER, params=params)
    assert full.status_code == 422 and reason in html.unescape(full.text)
    partial = client.get(PLANNER, params=params, headers=HTMX)
    assert partial.status_code == 200 and reason in html.unescape(partial.text)
