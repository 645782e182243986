"""Product usage per account: incremental per-day rollups of the event store (rollups.py) and
the windows computed from them as of a date (features.py). See docs/customer-success.md §Usage."""

from b2bgrowth.success.usage.features import usage_features, usage_series, user_activity
from b2bgrowth.success.usage.rollups import update_rollups

__all__ = ["usage_features", "user_activity", "usage_series", "update_rollups"]
