"""The requirements capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="requirements",
    title="The requirement pool (需求池)",
    package="b2bgrowth.requirements",
    models=(
        "b2bgrowth.requirements.models",
    ),
)
