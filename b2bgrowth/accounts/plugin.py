"""Plugin module for accounts (see b2bgrowth.plugins)."""
