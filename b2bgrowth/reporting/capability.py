"""The reporting capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="reporting",
    title="Derived tables: `b2bgrowth recompute`",
    package="b2bgrowth.reporting",
    cli=(
        "b2bgrowth.reporting.plugin:register_cli",
    ),
)
