"""The error report: one line per problem naming line (header = 1), id, column and reason.

And the all-or-nothing rule: a file with any bad row writes nothing, unless skip_invalid.
"""

from __future__ import annotations

import pytest

from b2bgrowth.errors import ImportRejected
from b2bgrowth.interchange.importer import import_file

from .helpers import count, rows, write

SUB_HEADER = "subscription_id,account_id,product,plan,mrr,currency,seats,start_date,end_date\n"


@pytest.fixture
def accounts(ws, tmp_path):
    import_file(ws, "accounts", write(tmp_path / "accounts.csv", "account_id,name\nA1,Acme\nA2,Beta\n"))
    return ws


def rejected(ws, tmp_path, entity: str, text: str) -> list[str]:
    with pytest.raises(ImportRejected) as caught:
        import_file(ws, entity, write(tmp_path / f"bad-{entity}.csv", text))
    assert caught.value.entity == entity
    return [str(e) for e in caught.value.errors]


def test_subscription_errors_one_line_per_problem(accounts, tmp_path):
    text = SUB_HEADER + (
        "S1,A1,crm,pro,100,CNY,10,2024-01-01,2024-02-01\n"  # good
        "S2,A1,crm,pro,,CNY,10,2024-01-01,\n"  # line 3: mrr missing
        "S3,A1,crm,pro,-5,CNY,10,2024-01-01,\n"  # line 4: negative money
        "S4,A1,crm,pro,abc,CNY,ten,2024-13-01,\n"  # line 5: three problems
        "S5,A1,crm,pro,10,CNY,1,2024-03-01,2024-01-01\n"  # line 6: end before start
        "S6,A1,crm,pro,10,CNY,1,2024-03-01,2024-03-01\n"  # line 7: end equals start
        "S7,A404,crm,pro,10,CNY,1,2024-03-01,\n"  # line 8: unknown account
        "S1,A1,crm,pro,100,CNY,10,2024/01/01,\n"  # line 9: same key as line 2
        "S1,A1,crm,pro,100,CNY,10,2024-02-01,\n"  # fine: same id, new period
        ",A1,crm,pro,100,CNY,10,2024-02-01,\n"  # line 11: id missing
    )
    assert rejected(accounts, tmp_path, "subscriptions", text) == [
        "line 3, id S2, column mrr: mrr is required",
        "line 4, id S3, column mrr: -5 is negative (money must be 0 or more)",
        "line 5, id S4, column mrr: 'abc' is not a number",
        "line 5, id S4, column seats: 'ten' is not a whole number",
        "line 5, id S4, column start_date: '2024-13-01' is not a date (expected YYYY-MM-DD)",
        "line 6, id S5, column end_date: end_date 2024-01-01 is before start_date 2024-03-01",
        "line 7, id S6, column end_date: end_date 2024-03-01 must be after start_date 2024-03-01 (end_date is exclusive)",
        "line 8, id S7, column account_id: unknown account A404",
        "line 9, id S1, column subscription_id: duplicate subscription_id + start_date S1 + 2024-01-01 (first on line 2)",
        "line 11, column subscription_id: subscription_id is required",
    ]
    assert count(accounts, "subscriptions") == 0


def test_enum_errors_list_the_allowed_values(ws, tmp_path):
    text = "account_id,name,type,tier,created_at\nA1,Acme,retail,gold,yesterday\n"
    assert rejected(ws, tmp_path, "accounts", text) == [
        "line 2, id A1, column type: 'retail' is not one of direct, isv, channel",
        "line 2, id A1, column tier: 'gold' is not one of KA, CA, SMB",
        "line 2, id A1, column created_at: 'yesterday' is not a date and time (expected YYYY-MM-DD HH:MM:SS)",
    ]


def test_parent_account_may_be_in_the_same_file_but_must_exist(ws, tmp_path):
    text = (
        "account_id,name,parent_account_id,employees\n"
        "A1,Child,A2,\n"  # parent further down the file: fine
        "A2,Parent,,\n"
        "A3,Orphan,NOPE,\n"
        "A4,Bad,,-3\n"
        "A5,Child of bad,A4,\n"  # its parent's row is rejected, so it is too
    )
    assert rejected(ws, tmp_path, "accounts", text) == [
        "line 4, id A3, column parent_account_id: unknown account NOPE",
        "line 5, id A4, column employees: -3 is negative",
        "line 6, id A5, column parent_account_id: unknown account A4",
    ]


def test_nps_score_must_be_an_integer_from_0_to_10(accounts, tmp_path):
    text = (
        "response_id,at,account_id,score\n"
        "R1,2024-01-01,A1,10\n"
        "R2,2024-01-01,A1,11\n"
        "R3,2024-01-01,A1,7.5\n"
        "R4,2024-01-01,A1,great\n"
        "R5,2024-01-01,A9,\n"
    )
    assert rejected(accounts, tmp_path, "nps_responses", text) == [
        "line 3, id R2, column score: 11 is not an integer from 0 to 10",
        "line 4, id R3, column score: 7.5 is not an integer from 0 to 10",
        "line 5, id R4, column score: 'great' is not an integer from 0 to 10",
        "line 6, id R5, column score: score is required",
        "line 6, id R5, column account_id: unknown account A9",
    ]


def test_other_references_and_lengths(ws, tmp_path):
    text = "date,channel_id,cost\n2024-01-01,CH9,5\n"
    assert rejected(ws, tmp_path, "channel_costs", text) == [
        "line 2, id CH9, column channel_id: unknown channel CH9",
    ]
    long_id = "X" * 65
    assert rejected(ws, tmp_path, "channels", f"channel_id,name\n{long_id},n\n") == [
        f"line 2, id {long_id}, column channel_id: 'XXXXXXXXXXXXXXXXXXXX'… is longer than 64 characters",
    ]


def test_header_problems_reject_the_file_even_with_skip_invalid(ws, tmp_path):
    path = write(tmp_path / "h.csv", "客户ID,account_id,industry\nA1,A1,x\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(ws, "accounts", path, skip_invalid=True)
    assert [str(e) for e in caught.value.errors] == [
        "line 1, column account_id: columns '客户ID' and 'account_id' both mean account_id",
    ]
    text = "subscription_id,account_id,start_date\nS1,A1,2024-01-01\n"
    assert rejected(ws, tmp_path, "subscriptions", text) == [
        "line 1, column mrr: required column mrr (or 月费, MRR) is missing from the header",
    ]


def test_a_file_without_a_required_column_may_only_update(ws, tmp_path):
    import_file(ws, "accounts", write(tmp_path / "a.csv", "account_id,name\nA1,Acme\n"))
    assert rejected(ws, tmp_path, "accounts", "account_id,tier\nA1,KA\nA2,CA\n") == [
        "line 3, id A2, column name: name is required for a new row (the file has no name column)",
    ]


def test_a_bad_file_writes_nothing(accounts, tmp_path):
    good = SUB_HEADER + "S1,A1,crm,pro,100,CNY,10,2024-01-01,\n"
    import_file(accounts, "subscriptions", write(tmp_path / "good.csv", good))
    before = {e: rows(accounts, e) for e in ("accounts", "subscriptions")}
    revisions = accounts.store.revisions(["accounts", "subscriptions"])
    bad = SUB_HEADER + "S1,A1,crm,pro,999,CNY,10,2024-01-01,\nS2,A1,crm,pro,5,CNY,1,2024-01-01,\nS3,A1,crm,pro,-1,CNY,1,2024-01-01,\n"
    with pytest.raises(ImportRejected):
        import_file(accounts, "subscriptions", write(tmp_path / "bad.csv", bad))
    assert {e: rows(accounts, e) for e in ("accounts", "subscriptions")} == before
    assert accounts.store.revisions(["accounts", "subscriptions"]) == revisions


def test_skip_invalid_writes_the_good_rows_and_returns_the_errors(accounts, tmp_path):
    text = SUB_HEADER + "S1,A1,crm,pro,100,CNY,10,2024-01-01,\nS2,A9,crm,pro,5,CNY,1,2024-01-01,\nS3,A2,crm,pro,7,CNY,1,2024-01-01,\n"
    outcome = import_file(accounts, "subscriptions", write(tmp_path / "s.csv", text), skip_invalid=True)
    assert [str(e) for e in outcome.errors] == ["line 3, id S2, column account_id: unknown account A9"]
    assert (outcome.rows, outcome.inserted, outcome.updated, outcome.unchanged) == (3, 2, 0, 0)
    assert [r[0] for r in rows(accounts, "subscriptions")] == ["S1", "S3"]
