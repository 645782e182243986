"""Product usage per account: incremental per-day rollups of the event store (rollups.py) and
the windows computed from them as of a date (features.py). See docs/customer-success.md §Usage."""

from __future__ import annotations

import importlib
from typing import Any

__all__ = ["usage_features", "user_activity", "usage_series", "update_rollups"]
_HOME = {"usage_features": "features", "user_activity": "features", "usage_series": "features",
         "update_rollups": "rollups"}


def __getattr__(name: str) -> Any:
    # Loaded on first use (PEP 562): `b2bgrowth success usage-rollup --help` imports this package,
    # and the features need pandas.
    if name in _HOME:
        return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
