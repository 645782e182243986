"""The default tier rule and the override from the accounts file."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from b2bgrowth.accounts.models import Account
from b2bgrowth.accounts.tiers import default_tier
from b2bgrowth.interchange.importer import import_file
from b2bgrowth.success.tiering import apply_tiers

from .helpers import write


@pytest.mark.parametrize(
    ("employees", "revenue", "tier"),
    [
        (1000, None, "KA"),
        (999, 999_999_999, "CA"),
        (5, 1_000_000_000, "KA"),
        (100, 0, "CA"),
        (99, 100_000_000, "CA"),
        (99, 99_999_999.99, "SMB"),
        (None, None, "SMB"),
    ],
)
def test_default_rule(employees, revenue, tier):
    assert default_tier(employees, revenue) == tier


@given(st.one_of(st.none(), st.integers(0, 10**6)), st.one_of(st.none(), st.floats(0, 1e12)))
def test_rule_is_monotone_in_size(employees, revenue):
    order = {"SMB": 0, "CA": 1, "KA": 2}
    bigger = default_tier((employees or 0) + 1, (revenue or 0) * 2)
    assert order[bigger] >= order[default_tier(employees, revenue)]


def test_sql_rule_matches_python_rule_and_override_wins(ws, tmp_path):
    text = (
        "account_id,name,employees,annual_revenue,tier\n"
        "A1,a,1000,,\nA2,b,999,999999999,\nA3,c,5,1000000000,\nA4,d,99,99999999.99,\nA5,e,,,\nA6,f,5000,,SMB\n"
    )
    import_file(ws, "accounts", write(tmp_path / "a.csv", text))
    with ws.store.read() as session:
        tiers = {a.account_id: a.tier for a in session.query(Account)}
    assert tiers == {"A1": "KA", "A2": "CA", "A3": "KA", "A4": "SMB", "A5": "SMB", "A6": "SMB"}
    assert apply_tiers(ws) == 0  # already right: nothing to change
