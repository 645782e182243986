"""The leads capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="leads",
    title="Leads: capture, de-duplication, BANT, scoring, hand-off",
    package="b2bgrowth.leads",
    models=(
        "b2bgrowth.leads.models",
    ),
    reports=(
        "b2bgrowth.leads.reports:LeadsReport",
        "b2bgrowth.leads.reports:LeadModelReport",
    ),
    derived_tables=(
        "b2bgrowth.leads.dedupe:MERGED_LEADS_TABLE",
        "b2bgrowth.leads.prediction:MODEL_TABLE_DECLARATION",
    ),
    recompute_steps=(
        "b2bgrowth.leads.requalify:RECOMPUTE_STEP",
        "b2bgrowth.leads.account_links:RECOMPUTE_STEP",
    ),
    cli=(
        "b2bgrowth.leads.cli:register_cli",
    ),
    api=(
        "b2bgrowth.leads.routes:router",
    ),
    pages=(
        "b2bgrowth.leads.web:register_web",
        "b2bgrowth.leads.web_filters:register_web",
    ),
)
