"""Plugin module for channels (see b2bgrowth.plugins): registers the channels and attribution reports."""

from b2bgrowth.channels import reports  # noqa: F401  (registers channels, attribution)
