"""Plugin module for events (see b2bgrowth.plugins)."""
