"""The account timeline as data (b2bgrowth.success.timeline) on account H's hand-made history."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from b2bgrowth.success.timeline import KINDS, account_timeline
from tests.success_usage.planted import add_events, event

from .conftest import AS_OF

# Hand-made from conftest.H_SUBSCRIPTIONS and plant_history; newest day first, within a day in the
# order subscription, revenue, nps, task, opportunity, lead, onboarding.
#   MRR: 0 → 100 (01-01-2023 new) → 150 (h2 starts 06-01: +50) → 100 (h2 ends 09-01: −50)
#        → 150 (01-01-2024: h1 row 100 → 150: +50) → 200 (h2 again 03-01: +50); 2025-01-01 is future.
EXPECTED_H = [
    (date(2024, 6, 20), "task", "Task opened", "Usage review · risk · carol"),
    (date(2024, 6, 1), "nps", "NPS promoter", "score 9"),
    (date(2024, 4, 1), "opportunity", "Opportunity lost", "Hotel add-on · 600 CNY"),
    (date(2024, 3, 1), "subscription", "Subscription started", "h2 · X · 50 CNY"),
    (date(2024, 3, 1), "revenue", "Expansion MRR", "+50 CNY · 150 CNY → 200 CNY"),
    (date(2024, 2, 15), "task", "Task done", "Call back · detractor · carol"),
    (date(2024, 2, 11), "task", "Task opened", "Call back · detractor · carol"),
    (date(2024, 2, 10), "nps", "NPS detractor", "score 4 · slow"),
    (date(2024, 1, 1), "subscription", "Subscription changed", "h1 · 100 CNY → 150 CNY; seats 2 → 3"),
    (date(2024, 1, 1), "revenue", "Expansion MRR", "+50 CNY · 100 CNY → 150 CNY"),
    (date(2023, 9, 1), "subscription", "Subscription ended", "h2 · X · 50 CNY"),
    (date(2023, 9, 1), "revenue", "Contraction MRR", "−50 CNY · 150 CNY → 100 CNY"),
    (date(2023, 6, 1), "subscription", "Subscription started", "h2 · X · 50 CNY"),
    (date(2023, 6, 1), "revenue", "Expansion MRR", "+50 CNY · 100 CNY → 150 CNY"),
    (date(2023, 1, 1), "subscription", "Subscription started", "h1 · X basic · 100 CNY · 2 seats"),
    (date(2023, 1, 1), "revenue", "New customer MRR", "+100 CNY · 0 CNY → 100 CNY"),
    (date(2022, 12, 20), "opportunity", "Opportunity won", "Hotel first deal · 1,200 CNY"),
    (date(2022, 11, 5), "lead", "Lead came in", "L1 · from channel webinar"),
]


def _plain(entries):
    return [(e["day"], e["kind"], e["title"], e["detail"]) for e in entries]


def test_timeline_of_a_hand_made_history(planted):
    entries = account_timeline(planted, "H", AS_OF)
    assert _plain(entries) == EXPECTED_H
    links = {e["title"]: e["link"] for e in entries}
    assert links["Task done"] == "/success/tasks/TH1" and links["Lead came in"] == "/leads/L1"
    assert {e["tone"] for e in entries if e["kind"] == "revenue" and "Contraction" in e["title"]} == {"bad"}


def test_a_renewal_without_changes_and_the_onboarding_milestone(planted):
    from b2bgrowth.revenue.models import Subscription

    with planted.store.write(touched=["subscriptions"]) as s:
        s.add(Subscription(subscription_id="d1", account_id="D", product="X", mrr=300, seats=5, currency="CNY",
                           start_date=date(2023, 6, 1), end_date=date(2024, 6, 1)))
    # D: d1 2023-06-01..2024-06-01 then the planted d1 from 2024-06-01 with the same MRR and seats: renewed;
    # first login (D-u1, 2024-06-03) after the first paid day 2023-06-01, due 2023-06-08:
    # 2023-06-08 → 2024-06-08 is 366 days (29 Feb 2024), minus 5 days = 361 days late.
    entries = _plain(account_timeline(planted, "D", AS_OF))
    assert entries == [
        (date(2024, 6, 3), "onboarding", "Onboarding milestone reached", "First login · 361 days late"),
        (date(2024, 6, 1), "subscription", "Subscription renewed", "d1 · X · 300 CNY · 5 seats"),
        (date(2023, 6, 1), "subscription", "Subscription started", "d1 · X · 300 CNY · 5 seats"),
        (date(2023, 6, 1), "revenue", "New customer MRR", "+300 CNY · 0 CNY → 300 CNY"),
    ]


def test_point_in_time_later_data_changes_nothing(planted):
    from b2bgrowth.revenue.models import Subscription
    from b2bgrowth.voc.models import NpsResponse

    before = account_timeline(planted, "H", date(2023, 12, 31))
    assert _plain(before) == [e for e in EXPECTED_H if e[0] <= date(2023, 12, 31)]
    with planted.store.write(touched=["subscriptions", "nps_responses"]) as s:
        s.add(Subscription(subscription_id="h3", account_id="H", product="Y", mrr=70, currency="CNY",
                           start_date=date(2024, 8, 1)))
        from datetime import datetime

        s.add(NpsResponse(response_id="hn9", account_id="H", score=2, at=datetime(2024, 7, 1, 0, 0)))
    add_events(planted, [event("H", "H-u", "2024-07-01", "login")])
    assert account_timeline(planted, "H", AS_OF) == account_timeline(planted, "H", AS_OF)
    assert _plain(account_timeline(planted, "H", AS_OF)) == EXPECTED_H
    assert account_timeline(planted, "H", date(2023, 12, 31)) == before


def test_unknown_kind_is_refused_by_name(planted):
    with pytest.raises(ValueError, match="'meeting' unknown"):
        account_timeline(planted, "H", AS_OF, ["meeting"])


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(KINDS), min_size=1, max_size=4, unique=True))
def test_a_kind_filter_keeps_exactly_those_entries_in_the_same_order(planted, kinds):
    full = account_timeline(planted, "H", AS_OF)
    assert account_timeline(planted, "H", AS_OF, kinds) == [e for e in full if e["kind"] in kinds]
    days = [e["day"] for e in full]
    assert days == sorted(days, reverse=True)


def test_leads_linked_directly_join_those_reached_through_opportunities_once(planted):
    """Round 3: leads.account_id. H has L1 through its opportunity O1 (conftest); here L1 is also
    linked directly (must still show once), L2 is linked directly only (an upsell lead), L3 belongs
    to another account and L4 is linked to H but came in after as_of (point in time)."""
    from datetime import datetime

    from b2bgrowth.leads.models import Lead

    with planted.store.write(touched=["leads"]) as s:
        s.get(Lead, "L1").account_id = "H"
        s.add_all([
            Lead(lead_id="L2", created_at=datetime(2024, 5, 2, 9), company="Hotel", channel="referral", account_id="H"),
            Lead(lead_id="L3", created_at=datetime(2024, 5, 3, 9), company="Alpha", account_id="A"),
            Lead(lead_id="L4", created_at=datetime(2024, 7, 2, 9), company="Hotel", account_id="H"),
        ])
    entries = _plain(account_timeline(planted, "H", AS_OF, ["lead"]))
    # newest first: L2 (2024-05-02), then L1 (2022-11-05) once; L3 is A's, L4 is after 2024-06-30
    assert entries == [(date(2024, 5, 2), "lead", "Lead came in", "L2 · from channel referral"),
                       (date(2022, 11, 5), "lead", "Lead came in", "L1 · from channel webinar")]
    full = _plain(account_timeline(planted, "H", AS_OF))
    assert full == sorted([*EXPECTED_H, (date(2024, 5, 2), "lead", "Lead came in", "L2 · from channel referral")],
                          key=lambda e: -e[0].toordinal())  # one new entry; nothing else moved


def test_built_in_milestone_names_read_in_the_readers_language(planted):
    """D's first login (the default milestone 'First login') in zh_CN: the name is a catalog entry."""
    from b2bgrowth import i18n
    from b2bgrowth.i18n import current_language
    from b2bgrowth.revenue.models import Subscription
    from b2bgrowth.success.playbooks.rules import task_title

    with planted.store.write(touched=["subscriptions"]) as s:
        s.add(Subscription(subscription_id="d1", account_id="D", product="X", mrr=300, seats=5, currency="CNY",
                           start_date=date(2023, 6, 1), end_date=date(2024, 6, 1)))
    token = current_language.set("zh_CN")
    try:
        onboarding = [e for e in account_timeline(planted, "D", AS_OF, ["onboarding"], translate=i18n.gettext)]
        assert [e["detail"] for e in onboarding] == ["首次登录 · 晚了 361 天"]  # "First login · 361 days late"
        # The playbook task title fills the milestone the same way; a typed name stays as typed.
        assert task_title("onboarding_overdue", {"milestone": "First report run"}, "x", i18n.gettext).endswith(
            i18n.gettext("First report run"))
        assert i18n.gettext("First report run") != "First report run"
        assert task_title("onboarding_overdue", {"milestone": "签约后回访"}, "x", i18n.gettext).endswith("签约后回访")
    finally:
        current_language.reset(token)
