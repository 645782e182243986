"""The built-in default scorecard: works on any company's event data (docs/customer-success.md).

It is version 0 of the scorecard `default` until an admin saves a version of their own. Every
signal it reads exists for any product that sends usage events, subscriptions and NPS:

| group (weight)   | measure              | signal              | rule                               | why |
|------------------|----------------------|---------------------|------------------------------------|-----|
| Adoption (40)    | seats (×2)           | seat_utilisation    | good ≥ 0.6, poor < 0.3             | bought seats left unused are the first thing cut at renewal |
|                  | breadth (×1)         | breadth_30d         | good ≥ 5, poor < 2 features        | one-feature customers replace the product easily |
| Engagement (20)  | trend                | usage_trend_30d     | linear: 0 at −50 %, 100 at +10 %   | falling usage precedes churn; flat-or-growing is healthy |
| Sentiment (15)   | nps                  | nps_365             | good ≥ 30, poor < 0                | more detractors than promoters is a warning; 30+ is good B2B NPS |
| Support (15)     | tickets              | support_tickets_30d | lower better: good ≤ 1, poor > 5   | many tickets in a month signal friction |
| Renewal (10)     | renewal              | days_to_renewal     | good ≥ 180, poor < 60 days         | a renewal close at hand leaves little time to fix anything |
"""

from __future__ import annotations

from b2bgrowth.i18n.labels import N_
from b2bgrowth.success.scorecards.definition import DEFAULT_ID, ScorecardDefinition, parse_definition

# Names and labels are data (an admin may rename them); N_ marks the built-in ones for the
# catalog, and pages show every name through _(), so the defaults read in Chinese too.
DEFAULT_DEFINITION = {
    "scorecard_id": DEFAULT_ID,
    "name": N_("Default"),
    "applies_to": {"tiers": [], "stages": []},
    "colors": {"green": 70, "yellow": 40},
    "groups": [
        {"name": N_("Adoption"), "weight": 40, "measures": [
            {"measure": "seats", "label": N_("Active share of seats"), "signal": "seat_utilisation", "weight": 2,
             "kind": "thresholds", "direction": "higher_better", "good": 0.6, "poor": 0.3},
            {"measure": "breadth", "label": N_("Features used (30 days)"), "signal": "breadth_30d", "weight": 1,
             "kind": "thresholds", "direction": "higher_better", "good": 5, "poor": 2},
        ]},
        {"name": N_("Engagement"), "weight": 20, "measures": [
            {"measure": "trend", "label": N_("Activity trend (30 days)"), "signal": "usage_trend_30d", "weight": 1,
             "kind": "linear", "zero_at": -0.5, "full_at": 0.1},
        ]},
        {"name": N_("Sentiment"), "weight": 15, "measures": [
            {"measure": "nps", "label": N_("NPS (365 days)"), "signal": "nps_365", "weight": 1,
             "kind": "thresholds", "direction": "higher_better", "good": 30, "poor": 0},
        ]},
        {"name": N_("Support"), "weight": 15, "measures": [
            {"measure": "tickets", "label": N_("Support tickets (30 days)"), "signal": "support_tickets_30d", "weight": 1,
             "kind": "thresholds", "direction": "lower_better", "good": 1, "poor": 5},
        ]},
        {"name": N_("Renewal"), "weight": 10, "measures": [
            {"measure": "renewal", "label": N_("Days to renewal"), "signal": "days_to_renewal", "weight": 1,
             "kind": "thresholds", "direction": "higher_better", "good": 180, "poor": 60},
        ]},
    ],
}


def default_scorecard() -> ScorecardDefinition:
    return parse_definition(DEFAULT_DEFINITION)
