"""Plugin module for voc (see b2bgrowth.plugins): registers the NPS report."""

from b2bgrowth.voc import nps  # noqa: F401  (registers "nps")
