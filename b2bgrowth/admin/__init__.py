"""Administration commands: users and API tokens, `recompute`."""
