"""How reports print: the columns that fit, CSV, errors in our words, no store created by a read."""

from __future__ import annotations

import csv
import io
import json

from rich.console import Console
from typer.testing import CliRunner

from b2bgrowth.cli.main import build_app
from b2bgrowth.cli.tables import ColumnChoiceError, choose_columns, parse_columns, print_tables, write_csv

ROWS = [
    {"period": "2026-01", "alpha": 1, "beta_long_name": 22, "gamma": "x" * 10, "nested": [1]},
    {"period": "2026-02", "alpha": 333, "beta_long_name": 4, "gamma": "y", "nested": [2]},
]
COLUMNS = ["period", "alpha", "beta_long_name", "gamma"]


def test_choose_columns_fits_the_width_key_columns_first():
    # Widths (text + 3): period 7+3=10, alpha 5+3=8, beta_long_name 14+3=17, gamma 10+3=13; +1 border.
    assert choose_columns(COLUMNS, ROWS, width=1 + 10 + 8 + 17 + 13) == COLUMNS
    assert choose_columns(COLUMNS, ROWS, width=1 + 10 + 8 + 17 + 12) == ["period", "alpha", "beta_long_name"]
    # gamma declared key: it takes the place of the others; shown in the result's order.
    assert choose_columns(COLUMNS, ROWS, width=1 + 10 + 13 + 8, key_columns=("gamma",)) == ["period", "alpha", "gamma"]
    # The first column is shown even when nothing fits.
    assert choose_columns(COLUMNS, ROWS, width=5) == ["period"]


def test_parse_columns():
    assert parse_columns(None, COLUMNS) is None
    assert parse_columns("all", COLUMNS) == COLUMNS
    assert parse_columns("gamma, period", COLUMNS) == ["gamma", "period"]
    try:
        parse_columns("period,nope", COLUMNS)
    except ColumnChoiceError as exc:
        assert "nope" in str(exc) and "beta_long_name" in str(exc)
    else:
        raise AssertionError("an unknown column is refused")


def test_terminal_table_names_the_columns_it_left_out():
    # period 10 + alpha 8 + 1 = 19 fits 30; beta_long_name (17) and gamma (13) do not.
    console = Console(width=30, record=True, color_system=None)
    print_tables(console, {"total": 1234, "rows": ROWS}, "T")
    text = console.export_text()
    assert "total: 1,234" in text
    assert "2026-02" in text and "333" in text
    assert "2 more column(s) not shown: beta_long_name, gamma" in " ".join(text.split())
    assert max(len(line) for line in text.splitlines()) <= 30

    console = Console(width=40, record=True, color_system=None)
    print_tables(console, {"rows": ROWS}, "T", columns="all")
    assert "not shown" not in console.export_text()


def test_csv_writes_one_table_whole():
    out = io.StringIO()
    assert write_csv({"total": 3, "rows": ROWS}, out=out) == "rows"
    parsed = list(csv.reader(io.StringIO(out.getvalue())))
    assert parsed[0] == ["period", "alpha", "beta_long_name", "gamma", "nested"]
    assert parsed[2] == ["2026-02", "333", "4", "y", "[2]"]
    try:
        write_csv({"rows": ROWS}, table="other")
    except ColumnChoiceError as exc:
        assert "rows" in str(exc)
    else:
        raise AssertionError


def _args(settings):
    argv = ["--data-dir", str(settings.data_dir)]
    if settings.database_url:
        argv += ["--database-url", settings.database_url]
    return argv


def test_revenue_report_as_csv_and_table(ws):
    runner = CliRunner()
    args = [*_args(ws.settings), "report", "revenue", "--from", "2026-01-01", "--to", "2026-02-28"]
    as_json = json.loads(runner.invoke(build_app(), [*args, "--json"]).stdout)
    result = runner.invoke(build_app(), [*args, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["period_start"] for r in rows] == [p["period_start"] for p in as_json["periods"]]
    assert list(rows[0]) == list(as_json["periods"][0])

    table = runner.invoke(build_app(), [*args], env={"COLUMNS": "100"})
    assert table.exit_code == 0, table.output
    assert "more column(s) not shown" in table.stdout
    assert max(len(line) for line in table.stdout.splitlines()) <= 100


def test_a_read_on_a_missing_data_dir_fails_and_creates_nothing(tmp_path):
    missing = tmp_path / "elsewhere" / "b2bgrowth-data"
    for command in (["report", "revenue", "--from", "2026-01-01", "--to", "2026-01-31"], ["events", "stats"],
                    ["user", "list"], ["export", "accounts", "--output", str(tmp_path / "a.csv")]):
        result = CliRunner().invoke(build_app(), ["--data-dir", str(missing), *command])
        assert result.exit_code == 1, (command, result.output)
        assert "no b2bgrowth store at" in result.output and "--data-dir" in result.output
        assert not missing.exists() and not (tmp_path / "elsewhere").exists()


def test_parameter_errors_are_in_our_words(tmp_path):
    runner = CliRunner()
    result = runner.invoke(build_app(), ["--data-dir", str(tmp_path), "report", "revenue",
                                         "--from", "2026-13-01", "--to", "2026-12-31"])
    assert result.exit_code == 1
    assert "--from: expected a date as YYYY-MM-DD, got '2026-13-01'" in result.output
    for library_wording in ("Input should", "Value error", "validation error", "pydantic"):
        assert library_wording not in result.output
    bad_format = runner.invoke(build_app(), ["--data-dir", str(tmp_path), "report", "revenue", "--from", "2026-01-01",
                                             "--to", "2026-12-31", "--format", "xml"])
    assert bad_format.exit_code == 1 and "--format must be table, csv or json" in bad_format.output
