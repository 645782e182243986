"""Plugin module for auth (see b2bgrowth.plugins)."""
