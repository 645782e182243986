"""Plugin module for voc (see b2bgrowth.plugins)."""
