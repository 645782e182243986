"""The community capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="community",
    title="Community operations (社群)",
    package="b2bgrowth.community",
    models=(
        "b2bgrowth.community.models",
    ),
)
