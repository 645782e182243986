"""`b2bgrowth import` and `b2bgrowth export` from the command line."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app

from .helpers import count, write

SUBS = "subscription_id,account_id,product,plan,mrr,currency,seats,start_date,end_date\n"


@pytest.fixture
def cli(ws):
    app = build_app()
    runner = CliRunner()
    options = ["--data-dir", str(ws.settings.data_dir)]
    if ws.settings.database_url:
        options += ["--database-url", ws.settings.database_url]

    def run(*args: str):
        return runner.invoke(app, [*options, *args])

    return run


def test_import_then_reimport_then_export(cli, ws, tmp_path):
    accounts = write(tmp_path / "accounts.csv", "客户ID,客户名称,员工数\nA1,华为,20\nA2,Acme,2000\n", "gbk")
    result = cli("import", "accounts", str(accounts))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("accounts: 2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 skipped in ")
    assert "rows/s" in result.stdout
    again = cli("import", "accounts", str(accounts))
    assert "0 inserted, 0 updated, 2 unchanged" in again.stdout
    out = tmp_path / "out" / "accounts.xlsx"
    exported = cli("export", "accounts", "--output", str(out))
    assert exported.exit_code == 0
    assert exported.stdout.strip() == f"accounts: 2 rows written to {out}"
    assert out.exists()


def test_bad_file_exits_1_lists_every_bad_row_and_imports_nothing(cli, ws, tmp_path):
    cli("import", "accounts", str(write(tmp_path / "a.csv", "account_id,name\nA1,Acme\n")))
    bad = write(
        tmp_path / "subs.csv",
        SUBS + "S-1,A1,crm,pro,10,CNY,1,2024-01-01,\n" * 1
        + "S-2,A1,crm,pro,10,CNY,1,2024-01-01,\n"
        + "S-3,A1,crm,pro,10,CNY,1,2024-01-01,\n"
        + "S-4,A1,crm,pro,10,CNY,1,2024-01-01,\n"
        + "S-5,A1,crm,pro,10,CNY,1,2024-01-01,\n"
        + "S-12,A1,crm,pro,10,CNY,1,2024-03-01,2024-01-01\n"
        + "S-13,A7,crm,pro,-1,CNY,1,2024-03-01,\n",
    )
    result = cli("import", "subscriptions", str(bad))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "line 7, id S-12, column end_date: end_date 2024-01-01 is before start_date 2024-03-01",
        "line 8, id S-13, column mrr: -1 is negative (money must be 0 or more)",
        "line 8, id S-13, column account_id: unknown account A7",
        f"error: nothing was imported: 3 problem(s) in {bad}",
    ]
    assert count(ws, "subscriptions") == 0

    skipped = cli("import", "subscriptions", str(bad), "--skip-invalid")
    assert skipped.exit_code == 0
    assert skipped.stderr.splitlines()[:3] == result.stderr.splitlines()[:3]
    assert "5 inserted" in skipped.stdout and "2 skipped" in skipped.stdout
    assert count(ws, "subscriptions") == 5


def test_unknown_entity_and_missing_file_are_clear_errors(cli, tmp_path):
    result = cli("import", "widgets", str(tmp_path / "x.csv"))
    assert result.exit_code == 1
    assert "unknown entity 'widgets'" in result.stderr
    missing = cli("import", "accounts", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 1
    assert "nothing was imported" in missing.stderr and "no such file" in missing.stderr
    wrong = cli("export", "accounts", "--output", str(tmp_path / "x.pdf"))
    assert wrong.exit_code == 1 and "unsupported file type .pdf" in wrong.stderr


def test_events_go_to_the_event_store(cli, tmp_path):
    events = write(
        tmp_path / "events.csv",
        "event_id,ts,account_id,user_id,event,properties\n"
        'e1,2024-01-01T10:00:00,A1,u1,login,"{""page"": ""/""}"\n'
        "e2,2024-01-01T10:05:00,A1,u1,report_view,\n",
    )
    result = cli("import", "events", str(events))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("events: 2 rows read, 2 inserted, 0 updated, 0 unchanged, 0 skipped")
    again = cli("import", "events", str(events))
    assert "0 inserted, 0 updated, 2 unchanged" in again.stdout  # duplicates by event_id
    out = tmp_path / "events-out.csv"
    assert cli("export", "events", "--output", str(out)).stdout.strip() == f"events: 2 rows written to {out}"
