"""Hypothesis: intervals contain the estimate, p-values are probabilities, sequences are wider."""

from hypothesis import given, settings
from hypothesis import strategies as st

from b2bgrowth.experiments.stats import ArmSummary, bayesian_test, compare, confidence_sequence, welch_t_test
from b2bgrowth.experiments.stats.moments import Moments

arms = st.builds(
    lambda n, mean, sd: Moments(n, mean * n, (n - 1) * sd**2 + n * mean**2, "mean"),
    st.integers(min_value=5, max_value=100_000),
    st.floats(min_value=0.5, max_value=1e4),
    st.floats(min_value=0.01, max_value=1e3),
)


@settings(max_examples=150, deadline=None)
@given(arms, arms, st.sampled_from(["absolute", "relative"]), st.sampled_from([0.01, 0.05, 0.1, 0.2]), st.integers(100, 100_000))
def test_intervals_and_p_values(a, b, difference, alpha, tuning):
    effect = compare(ArmSummary.from_moments(a), ArmSummary.from_moments(b), difference)
    fixed = welch_t_test(effect, alpha)
    sequential = confidence_sequence(effect, alpha, tuning)
    bayes = bayesian_test(effect, alpha)
    for result in (fixed, sequential, bayes):
        assert result.ci_low <= result.effect <= result.ci_high
    assert 0 <= fixed.p_value <= 1 and 0 <= sequential.p_value <= 1
    assert 0 <= bayes.chance_to_win <= 1 and bayes.risk >= 0 and bayes.risk_baseline >= 0
    # Holds once the t quantile is below the smallest h/se (3.04 at α = 0.05): see docs/experiments.md.
    if effect.dof >= 30 or (alpha >= 0.05 and effect.dof >= 4):
        slack = 1e-9 * max(1.0, abs(effect.estimate))
        assert sequential.ci_low <= fixed.ci_low + slack and sequential.ci_high >= fixed.ci_high - slack
        if sequential.p_value <= alpha:  # the sequence excludes 0, so the narrower interval does too
            assert fixed.p_value <= alpha
