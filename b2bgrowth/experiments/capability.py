"""The experiments capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="experiments",
    title="Experiments",
    package="b2bgrowth.experiments",
    models=(
        "b2bgrowth.experiments.models",
    ),
    cli=(
        "b2bgrowth.experiments.cli:register_cli",
    ),
    api=(
        "b2bgrowth.experiments.routes:router",
    ),
    pages=(
        "b2bgrowth.experiments.web:register_web",
    ),
)
