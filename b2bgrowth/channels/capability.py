"""The channels capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="channels",
    title="Channels, campaigns, ROI and attribution",
    package="b2bgrowth.channels",
    models=(
        "b2bgrowth.channels.models",
    ),
    reports=(
        "b2bgrowth.channels.reports:ChannelsReport",
        "b2bgrowth.channels.reports:AttributionReport",
    ),
    pages=(
        "b2bgrowth.channels.web:register_web",
    ),
)
