"""The interchange capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="interchange",
    title="Import and export of every entity",
    package="b2bgrowth.interchange",
    cli=(
        "b2bgrowth.interchange.cli:register_cli",
    ),
)
