"""The success capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="success",
    title="Customer success: usage, lifecycle, health, churn risk, renewals, playbooks",
    package="b2bgrowth.success",
    templates="templates",
    models=(
        "b2bgrowth.success.models",
        "b2bgrowth.success.config_models",
        "b2bgrowth.success.playbooks.models",
    ),
    reports=(
        "b2bgrowth.success.onboarding:OnboardingReport",
        "b2bgrowth.success.health:HealthReport",
        "b2bgrowth.success.risk_reports:ChurnModelReport",
        "b2bgrowth.success.risk_reports:RenewalsReport",
        "b2bgrowth.success.risk_reports:RenewalForecastReport",
        "b2bgrowth.success.playbooks.reports:TasksReport",
        "b2bgrowth.success.usage_reports:UsageReport",
        "b2bgrowth.success.usage_reports:AccountUsersReport",
    ),
    recompute_steps=(
        "b2bgrowth.success.lifecycle:RECOMPUTE_STEP",
    ),
    cli=(
        "b2bgrowth.success.cli:register_cli",
    ),
    pages=(
        "b2bgrowth.success.web_lifecycle:register_web",
        "b2bgrowth.success.web_tiers:register_web",
        "b2bgrowth.success.web_renewals:register_web",
        "b2bgrowth.success.web_health:register_web",
        "b2bgrowth.success.web_tasks:register_web",
        "b2bgrowth.success.web_account360:register_web",
        "b2bgrowth.success.web_filters:register_web",
    ),
)
