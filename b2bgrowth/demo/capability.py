"""The demo capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="demo",
    title="The demo company",
    package="b2bgrowth.demo",
    cli=(
        "b2bgrowth.demo.cli:register_cli",
    ),
)
