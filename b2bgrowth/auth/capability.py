"""The auth capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="auth",
    title="Users, roles and API tokens",
    package="b2bgrowth.auth",
    models=(
        "b2bgrowth.auth.models",
    ),
    cli=(
        "b2bgrowth.auth.plugin:register_cli",
    ),
)
