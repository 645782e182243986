"""Risk reasons shown in the reader's language: every phrase the rule and the model emit has a
pattern, numbers are kept, unknown text passes through."""

from __future__ import annotations

import pandas as pd
import pytest

from b2bgrowth.i18n import current_language
from b2bgrowth.success.reason_text import PATTERNS, localise_reason
from b2bgrowth.success.risk.fallback import fallback_risk


@pytest.fixture
def zh():
    token = current_language.set("zh_CN")
    yield
    current_language.reset(token)


def test_known_phrases_are_translated_with_their_numbers(zh):
    assert localise_reason("usage down 45% in 30 days") == "30 天内使用量下降 45%"
    assert localise_reason("no activity for 12 days") == "已 12 天没有活动"
    assert localise_reason("3 support tickets in 30 days (7 in 90)") == "30 天内 3 个工单（90 天内 7 个）"
    assert localise_reason("last NPS 4 (detractor)") == "最近一次 NPS 4（贬损者）"
    assert localise_reason("something new") == "something new"


def test_english_stays_english():
    token = current_language.set("en")
    try:
        assert localise_reason("usage down 45% in 30 days") == "usage down 45% in 30 days"
    finally:
        current_language.reset(token)


def test_every_reason_the_fallback_rule_emits_is_translated(zh):
    # One account that trips every term of the rule: usage down, low seats, inactive, detractor, tickets.
    row = {"account_id": "A", "usage_trend_30d": -0.6, "seat_utilisation": 0.1, "days_since_active": 40,
           "detractors_90d": 2, "nps_last": 3, "support_tickets_30d": 9, "support_tickets_90d": 12,
           "mau": 1, "active_users_prev_30d": 5, "breadth_30d": 1}
    reasons = fallback_risk(pd.DataFrame([row]))["reasons"].iloc[0]
    assert reasons, "the planted account should have reasons"
    for reason in reasons:
        shown = localise_reason(reason)
        assert shown != reason and not any(c.isascii() and c.isalpha() for c in shown.replace("NPS", "")), shown


def test_every_reason_the_model_phrases_is_translated(zh):
    """Each feature group the learned model can name (features.phrase) has a pattern, for
    missing and present values alike — a new phrase without one fails here."""
    from b2bgrowth.success.risk.features import FEATURES, GROUP, phrase

    full = {"usage_trend_30d": 0.25, "events_30d": 40, "events_prev_30d": 32, "mau": 4, "active_users_prev_30d": 6,
            "seat_utilisation": 0.4, "days_since_active": 3, "breadth_30d": 5, "support_tickets_30d": 2,
            "support_tickets_90d": 5, "nps_last": 8, "detractors_90d": 1, "arr": 120000, "days_since_first_paid": 400,
            "tier": "CA", "account_id": "A"}
    down = dict(full, usage_trend_30d=-0.5)
    empty = {"account_id": "A"}
    groups = {GROUP.get(f, f) for f in FEATURES} - {"rule_logit"}  # the rule's reasons are checked above
    for group in sorted(groups):
        for row in (full, down, empty):
            reason = phrase(group, row)
            assert any(p.match(reason) for p, _ in PATTERNS), f"no pattern for {group!r}: {reason!r}"
