"""Plugin module for revenue (see b2bgrowth.plugins)."""
