"""The web capability's declaration (see b2bgrowth/contract.py)."""

from b2bgrowth.contract import Capability

CAPABILITY = Capability(
    name="web",
    title="The web server and the generic report API",
    package="b2bgrowth.web",
    cli=(
        "b2bgrowth.web.serve_cli:register_cli",
    ),
    pages=(
        "b2bgrowth.web.api:register_web",
    ),
)
