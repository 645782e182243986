"""The revenue capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="revenue",
    title="Subscriptions, MRR, retention, cohorts and LTV",
    package="b2bgrowth.revenue",
    templates="templates",
    models=(
        "b2bgrowth.revenue.models",
    ),
    reports=(
        "b2bgrowth.revenue.reports:RevenueReport",
        "b2bgrowth.revenue.reports:CohortsReport",
        "b2bgrowth.revenue.reports:LtvReport",
    ),
    derived_tables=(
        "b2bgrowth.revenue.derived:REVENUE_FACTS_TABLE",
    ),
    pages=(
        "b2bgrowth.revenue.web:register_web",
    ),
)
