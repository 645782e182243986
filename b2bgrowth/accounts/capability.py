"""The accounts capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="accounts",
    title="Accounts, contacts and tiers",
    package="b2bgrowth.accounts",
    models=(
        "b2bgrowth.accounts.models",
    ),
    pages=(
        "b2bgrowth.accounts.web:register_web",
    ),
)
