"""De-duplication, rule by rule, with hand-computed expectations (issue 3 item 2)."""

from __future__ import annotations

import pytest

from b2bgrowth.leads import dedupe
from b2bgrowth.leads.normalize import normalize_company, normalize_email, normalize_name, normalize_phone
from tests.leads.helpers import add_leads, add_opportunities, add_touches, when


def groups(ws) -> dict[str, list[str]]:
    merged = dedupe.merged_leads(ws)
    return {row.lead_id: sorted(row.member_ids) for row in merged.itertuples()}


# -- the normalisers ---------------------------------------------------------------------------
@pytest.mark.parametrize("raw, key", [
    ("  Li.Wei@Example.COM ", "li.wei@example.com"),
    ("\tA@B.CN\n", "a@b.cn"),
    ("   ", None),
    (None, None),
])
def test_email_is_trimmed_and_lower_cased(raw, key):
    assert normalize_email(raw) == key


@pytest.mark.parametrize("raw, key", [
    ("+86 138-0013-8000", "13800138000"),   # digits 8613800138000: 13 digits starting 86 → drop 86
    ("0086 138 0013 8000", "13800138000"),  # leading 0086 dropped
    ("86-138-0013-8000", "13800138000"),    # 13 digits again
    ("138 0013 8000", "13800138000"),
    ("86 10 6552 9988", "861065529988"),    # 12 digits: the 86 stays (only 13-digit numbers lose it)
    ("010-6552-9988", "01065529988"),
    ("n/a", None),
])
def test_phone_keeps_digits_and_drops_the_china_prefix(raw, key):
    assert normalize_phone(raw) == key


@pytest.mark.parametrize("raw, key", [
    ("北京数联信息技术有限公司", "北京数联信息技术"),
    ("北京数联信息技术 (中国) 有限公司", "北京数联信息技术"),   # 有限公司, then (中国), repeatedly
    ("北京数联信息技术（中国）有限公司", "北京数联信息技术"),    # full-width brackets
    ("上海云启集团股份有限公司", "上海云启"),                  # 股份有限公司 then 集团
    ("深圳某某有限责任公司", "深圳某某"),
    ("Acme Co., Ltd.", "acme"),
    ("ACME Inc", "acme"),
    ("Acme, Inc.", "acme"),
    ("Acme Corporation", "acme"),
    ("Acme LLC", "acme"),
    ("Acme Corp", "acme"),
    ("Acme Company Ltd", "acme"),
    ("ＡＣＭＥ　Ｌｔｄ", "acme"),   # NFKC folds full-width letters and space
    ("Zinc", "zinc"),             # "inc" inside a word is not a suffix
    ("Disco Ltd", "disco"),
    ("A.B.C. Data LLC", "abcdata"),  # then spaces and punctuation dropped
])
def test_company_loses_legal_suffixes_then_punctuation(raw, key):
    assert normalize_company(raw) == key


def test_name_is_trimmed_and_lower_cased():
    assert normalize_name("  Wang FANG ") == "wang fang"
    assert normalize_name("") is None


# -- each rule on the store ----------------------------------------------------------------------
def test_mixed_case_emails_with_spaces_merge(ws):
    add_leads(ws,
              {"lead_id": "L1", "created_at": when(2), "email": " Li.Wei@Example.COM"},
              {"lead_id": "L2", "created_at": when(1), "email": "li.wei@example.com  "},
              {"lead_id": "L3", "created_at": when(3), "email": "li.wei@example.cn"})
    # L1 and L2 share li.wei@example.com; L2 is earlier so it is the identity. L3 differs.
    assert groups(ws) == {"L2": ["L1", "L2"], "L3": ["L3"]}
    assert dedupe.why_merged(ws, "L1") == [
        {"a": "L2", "b": "L1", "rule": "email", "value": "li.wei@example.com"}]


def test_plus86_0086_and_13_digit_86_phones_merge(ws):
    add_leads(ws,
              {"lead_id": "P1", "created_at": when(1), "phone": "+86 138-0013-8000"},
              {"lead_id": "P2", "created_at": when(2), "phone": "0086 13800138000"},
              {"lead_id": "P3", "created_at": when(3), "phone": "8613800138000"},
              {"lead_id": "P4", "created_at": when(4), "phone": "13800138000"},
              {"lead_id": "P5", "created_at": when(5), "phone": "86 10 6552 9988"})
    # P1..P4 all normalise to 13800138000; P5 (12 digits) keeps its 86 and stands alone.
    assert groups(ws) == {"P1": ["P1", "P2", "P3", "P4"], "P5": ["P5"]}
    why = dedupe.why_merged(ws, "P1")
    assert [(w["a"], w["b"], w["rule"], w["value"]) for w in why] == [
        ("P1", "P2", "phone", "13800138000"), ("P1", "P3", "phone", "13800138000"),
        ("P1", "P4", "phone", "13800138000")]


def test_chinese_company_suffixes_merge_with_the_same_name(ws):
    add_leads(ws,
              {"lead_id": "C1", "created_at": when(1), "company": "北京数联信息技术有限公司", "name": "王芳"},
              {"lead_id": "C2", "created_at": when(2), "company": "北京数联信息技术 (中国) 有限公司", "name": " 王芳 "},
              {"lead_id": "C3", "created_at": when(3), "company": "北京数联信息技术（中国）有限公司", "name": "李雷"})
    # C1 ~ C2: company key 北京数联信息技术 and name 王芳. C3: same company, another name → apart.
    assert groups(ws) == {"C1": ["C1", "C2"], "C3": ["C3"]}
    assert dedupe.why_merged(ws, "C2") == [
        {"a": "C1", "b": "C2", "rule": "company_name", "value": "北京数联信息技术 · 王芳"}]


def test_company_alone_or_name_alone_does_not_merge(ws):
    add_leads(ws,
              {"lead_id": "A1", "created_at": when(1), "company": "Acme Co., Ltd.", "name": "Ann"},
              {"lead_id": "A2", "created_at": when(2), "company": "ACME Inc", "name": "Bob"},
              {"lead_id": "A3", "created_at": when(3), "company": "Beta Ltd", "name": "ann"},
              {"lead_id": "A4", "created_at": when(4), "company": "Acme", "name": None},
              {"lead_id": "A5", "created_at": when(5), "company": "acme corp", "name": "ANN "})
    # Only A1 and A5 share company "acme" AND name "ann".
    assert groups(ws) == {"A1": ["A1", "A5"], "A2": ["A2"], "A3": ["A3"], "A4": ["A4"]}


def test_matching_is_transitive(ws):
    add_leads(ws,
              {"lead_id": "A", "created_at": when(1), "email": "x@a.com"},
              {"lead_id": "B", "created_at": when(2), "email": "X@A.com", "phone": "13900000000"},
              {"lead_id": "C", "created_at": when(3), "phone": "+86 139 0000 0000"})
    # A~B by email, B~C by phone → one lead {A, B, C} with identity A.
    assert groups(ws) == {"A": ["A", "B", "C"]}
    assert dedupe.member_to_lead(ws) == {"A": "A", "B": "A", "C": "A"}
    assert {(w["a"], w["b"], w["rule"]) for w in dedupe.why_merged(ws, "A")} == {
        ("A", "B", "email"), ("B", "C", "phone")}


def test_identity_status_and_channel_rules(ws):
    add_leads(ws,
              {"lead_id": "L9", "created_at": when(5), "email": "p@q.com", "channel": "seo", "status": "sql"},
              {"lead_id": "L3", "created_at": when(2), "email": "p@q.com", "channel": "event", "status": "nurture",
               "region": "North"},
              {"lead_id": "L1", "created_at": when(2), "email": "P@Q.com", "channel": "partner", "status": "mql",
               "region": "South"},
              {"lead_id": "L0", "created_at": None, "email": "p@q.com", "channel": "ads", "status": "customer"})
    merged = dedupe.merged_leads(ws)
    assert len(merged) == 1
    row = merged.iloc[0]
    # Earliest created: L3 and L1 tie on 2024-01-02 09:00 → smallest lead_id L1 (L0 has no date: last).
    assert row["lead_id"] == "L1"
    assert row["created_at"] == when(2)
    assert row["channel"] == "partner" and row["region"] == "South"
    # Most advanced of sql, nurture, mql, customer → customer.
    assert row["status"] == "customer"
    assert row["member_ids"] == ["L1", "L3", "L9", "L0"]  # identity order: dated by time and id, undated last
    assert row["member_count"] == 4


@pytest.mark.parametrize("statuses, expected", [
    (("nurture", "mql"), "mql"),                 # nurture reaches nothing: mql wins
    (("disqualified", "new"), "new"),            # even new is more advanced than disqualified
    (("nurture", "disqualified"), "nurture"),    # none advancing, one nurture → nurture
    (("disqualified", "disqualified"), "disqualified"),
    (("opportunity", "sql"), "opportunity"),
])
def test_merged_status(ws, statuses, expected):
    add_leads(ws, *({"lead_id": f"S{i}", "created_at": when(i + 1), "email": "s@t.com", "status": s}
                    for i, s in enumerate(statuses)))
    assert dedupe.merged_leads(ws)["status"].tolist() == [expected]


def test_opportunities_and_touches_of_members_roll_up(ws):
    add_leads(ws,
              {"lead_id": "M1", "created_at": when(1), "email": "m@n.com"},
              {"lead_id": "M2", "created_at": when(2), "email": "M@N.com"},
              {"lead_id": "X", "created_at": when(3), "email": "x@n.com"})
    add_opportunities(ws, {"opportunity_id": "O1", "lead_id": "M2", "amount": 1000.0},
                      {"opportunity_id": "O2", "lead_id": "M1", "amount": 500.0},
                      {"opportunity_id": "O3", "lead_id": "X", "amount": 7.0})
    add_touches(ws, {"touch_id": "T1", "at": when(4), "kind": "call", "lead_id": "M2"},
                {"touch_id": "T2", "at": when(5), "kind": "email", "lead_id": "X"})
    assert sorted(o["opportunity_id"] for o in dedupe.lead_opportunities(ws, "M1")) == ["O1", "O2"]
    assert [t["touch_id"] for t in dedupe.lead_touches(ws, "M1")] == ["T1"]
    assert [t["touch_id"] for t in dedupe.lead_touches(ws, "X")] == ["T2"]
    # And the map the channel / pipeline reports use: O1 (lead M2) belongs to merged lead M1.
    assert dedupe.member_to_lead(ws)["M2"] == "M1"


def test_undo_merge_is_persisted_and_respected(ws):
    add_leads(ws,
              {"lead_id": "A", "created_at": when(1), "email": "x@a.com"},
              {"lead_id": "B", "created_at": when(2), "email": "x@a.com", "phone": "13900000000"},
              {"lead_id": "C", "created_at": when(3), "phone": "13900000000"})
    assert dedupe.record_merges(ws) == 2  # pairs (A,B) email and (B,C) phone
    dedupe.undo_merge(ws, "A", "C", by="admin")
    assert groups(ws) == {"A": ["A", "B"], "C": ["C"]}
    # A new lead D sharing C's phone and A's email cannot bridge C back into A's group:
    # D joins A (email edge first in the fixed order), and C stays apart from A and B.
    add_leads(ws, {"lead_id": "D", "created_at": when(4), "email": "X@A.COM", "phone": "13900000000"})
    assert groups(ws) == {"A": ["A", "B", "D"], "C": ["C"]}
    history = dedupe.merge_history(ws, "C")
    assert {(h["a"], h["b"], h["rule"], h["undone"]) for h in history} == {
        ("A", "C", "split", True), ("B", "C", "phone", True)}
    with pytest.raises(dedupe.DedupeError, match="not a member"):
        dedupe.undo_merge(ws, "A", "C", by="admin")


def test_no_leads_gives_an_empty_frame(ws):
    merged = dedupe.merged_leads(ws)
    assert merged.empty and "member_ids" in merged.columns
    assert dedupe.member_to_lead(ws) == {}
