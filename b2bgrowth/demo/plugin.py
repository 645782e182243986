"""Plugin module for demo (see b2bgrowth.plugins)."""
