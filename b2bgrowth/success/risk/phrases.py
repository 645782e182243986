"""How one input of the churn risk is phrased from an account's raw signal values.

Both the learned model (`features.phrase`, which adds the rule's own reason) and the fallback
rule (terms worded exactly as the model words the same signal) use it, so it depends on
neither.
"""

from __future__ import annotations

from b2bgrowth.reporting.jsonable import is_missing

# The signal columns signal_phrase() and features.phrase() read (a reason's row need not carry the other ~30).
PHRASE_INPUTS = ("usage_trend_30d", "events_30d", "events_prev_30d", "mau", "active_users_prev_30d",
                 "seat_utilisation", "days_since_active", "breadth_30d", "support_tickets_30d", "support_tickets_90d",
                 "nps_last", "detractors_90d", "arr", "days_since_first_paid", "tier", "usage_recorded")


def signal_phrase(group: str, row: dict) -> str:
    """A short English reason for an account from the raw signal values of one input group."""
    def v(name, default=None):
        value = row.get(name)
        if is_missing(value):
            return default
        return value

    if group == "usage_trend":
        trend = v("usage_trend_30d")
        if trend is None:
            return "no usage in the previous 30 days to compare"
        word = "down" if trend < 0 else "up"
        return f"usage {word} {abs(round(100 * float(trend)))}% in 30 days"
    if group == "log_events_30d":
        return f"{int(v('events_30d', 0))} events in 30 days (previous 30: {int(v('events_prev_30d', 0))})"
    if group == "active_users_change":
        return f"active users {int(v('mau', 0))} (previous 30 days: {int(v('active_users_prev_30d', 0))})"
    if group == "seat_utilisation":
        u = v("seat_utilisation")
        return "seats unknown" if u is None else f"seat utilisation {round(100 * float(u))}%"
    if group == "days_since_active":
        d = v("days_since_active")
        return "no recorded usage" if d is None else f"no activity for {int(d)} days"
    if group == "breadth_30d":
        return f"{int(v('breadth_30d', 0))} features used in 30 days"
    if group == "support_tickets_30d":
        return f"{int(v('support_tickets_30d', 0))} support tickets in 30 days ({int(v('support_tickets_90d', 0))} in 90)"
    if group == "nps_last":
        n = v("nps_last")
        return "no NPS response" if n is None else f"last NPS {int(n)}"
    if group == "detractors_90d":
        return f"{int(v('detractors_90d', 0))} detractor NPS response(s) in 90 days"
    if group == "log_arr":
        return f"ARR {round(float(v('arr', 0))):,}"
    if group == "log_tenure_days":
        return f"paying for {int(v('days_since_first_paid', 0))} days"
    if group == "tier":
        return f"tier {v('tier', 'unknown')}"
    return group
