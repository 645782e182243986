"""Plugin module for revenue (see b2bgrowth.plugins): registers the revenue reports."""

from b2bgrowth.revenue import reports  # noqa: F401  (registers revenue, cohorts, ltv)
