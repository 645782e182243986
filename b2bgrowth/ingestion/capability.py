"""The events capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="events",
    title="The event store: ingestion API and maintenance commands",
    package="b2bgrowth.ingestion",
    cli=(
        "b2bgrowth.ingestion.cli:register_cli",
    ),
    api=(
        "b2bgrowth.ingestion.routes:router",
    ),
)
