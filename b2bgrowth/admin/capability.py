"""The admin capability's declaration (see b2bgrowth/contract.py): users and API tokens (their
tables and service live in b2bgrowth/auth, below the web toolkit) and `b2bgrowth recompute`."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="admin",
    title="Users, API tokens and recompute",
    package="b2bgrowth.admin",
    models=(
        "b2bgrowth.auth.models",
    ),
    cli=(
        "b2bgrowth.admin.users_cli:register_cli",
        "b2bgrowth.admin.recompute_cli:register_cli",
    ),
)
