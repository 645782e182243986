"""Plugin module for interchange (see b2bgrowth.plugins)."""
