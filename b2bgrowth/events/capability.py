"""The events capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="events",
    title="The event store: ingestion API and maintenance commands",
    package="b2bgrowth.events",
    cli=(
        "b2bgrowth.events.plugin:register_cli",
    ),
    pages=(
        "b2bgrowth.events.plugin:register_web",
    ),
)
