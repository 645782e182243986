"""Experiment statistics as pure functions (issue 5, items 4 and 7). See docs/experiments.md."""

from b2bgrowth.experiments.stats.bayesian import BayesianResult, GaussianPrior, bayesian_test
from b2bgrowth.experiments.stats.contract import ContractError, compute, parse_request, run
from b2bgrowth.experiments.stats.cuped import CovariateArm, cuped_compare, pooled_theta
from b2bgrowth.experiments.stats.effect import Effect, EffectUndefined, compare, welch_satterthwaite_df
from b2bgrowth.experiments.stats.frequentist import FrequentistResult, welch_t_test
from b2bgrowth.experiments.stats.moments import ArmSummary, Moments
from b2bgrowth.experiments.stats.multiple import benjamini_hochberg, holm
from b2bgrowth.experiments.stats.power import Design, minimum_detectable_effect, plan, power_at, sample_size_per_arm
from b2bgrowth.experiments.stats.sequential import confidence_sequence
from b2bgrowth.experiments.stats.srm import srm_p_value

__all__ = [
    "ArmSummary", "BayesianResult", "ContractError", "CovariateArm", "Design", "Effect", "EffectUndefined",
    "FrequentistResult", "GaussianPrior", "Moments", "bayesian_test", "benjamini_hochberg", "compare", "compute",
    "confidence_sequence", "cuped_compare", "holm", "minimum_detectable_effect", "parse_request", "plan",
    "pooled_theta", "power_at", "run", "sample_size_per_arm", "srm_p_value", "welch_satterthwaite_df",
    "welch_t_test",
]
