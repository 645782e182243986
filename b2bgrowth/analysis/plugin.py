"""Plugin module (see b2bgrowth.plugins)."""
