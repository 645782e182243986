"""`b2bgrowth --help` starts quickly because it loads no heavy library (ARCHITECTURE.md: the
contract's references are resolved only when needed). The time itself is measured by the
benchmarks (bench/results.md), never asserted here; what is asserted is what gets imported."""

from __future__ import annotations

import json
import subprocess
import sys

# (pydantic is not listed: Typer itself loads it to coerce a sub-command's parameters.)
HEAVY = ("pandas", "numpy", "scipy", "sklearn", "sqlalchemy", "fastapi", "duckdb", "pyarrow", "alembic", "pyspark")

PROBE = """
import json, sys
from typer.testing import CliRunner
from b2bgrowth.cli.main import build_app
args = json.loads(sys.argv[1])
result = CliRunner().invoke(build_app(), args)
assert result.exit_code == 0, result.output
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & set(json.loads(sys.argv[2])))))
"""


def _loaded(args: list[str]) -> list[str]:
    out = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_help_loads_no_heavy_library():
    assert _loaded(["--help"]) == []


def test_a_group_help_loads_no_heavy_library():
    for group in (["success", "--help"], ["leads", "--help"], ["import", "--help"], ["user", "--help"]):
        assert _loaded(group) == [], group


def test_report_help_loads_the_reports():
    """The report group lists the registered reports, so it loads them (and that is fine)."""
    assert "pandas" in _loaded(["report", "--help"])
