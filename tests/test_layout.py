"""The test tree collects as one suite: test folders without __init__.py are imported by their
file's basename (pytest's default import mode), so two such files with one name break the whole
run ("import file mismatch") — but only when both folders run together, as in CI."""

from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_test_file_basenames_are_unique_outside_packages():
    by_name = defaultdict(list)
    for path in TESTS.rglob("test_*.py"):
        if not (path.parent / "__init__.py").exists():
            by_name[path.name].append(str(path.relative_to(TESTS)))
    clashes = {name: paths for name, paths in by_name.items() if len(paths) > 1}
    assert not clashes, f"rename one of each: {clashes}"


# -- pages never compute figures (issue 10) ---------------------------------------------------
PACKAGE = TESTS.parent / "b2bgrowth"
FIGURE_AGGREGATES = {"sum", "avg", "total"}  # func.count / min / max stay allowed: pagination, choices, date bounds
FOREIGN_FIGURE_TABLES = {"ExchangeRate", "NpsResponse", "Subscription"}


def _page_modules():
    for path in sorted(PACKAGE.rglob("web*.py")):
        if PACKAGE / "web" not in path.parents:
            yield path


def _figure_problems(path: Path) -> list[str]:
    import ast

    tree = ast.parse(path.read_text(encoding="utf-8"))
    capability = path.relative_to(PACKAGE).parts[0]
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            problems += [f"imports {a.name}" for a in node.names if a.name.split(".")[0] in ("duckdb", "pyarrow")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            root = node.module.split(".")[0]
            if root in ("duckdb", "pyarrow"):
                problems.append(f"imports from {node.module}")
            if node.module.startswith("sqlalchemy") and any(a.name == "text" for a in node.names):
                problems.append("imports sqlalchemy text (raw SQL)")
            # Money and NPS rows belong to revenue / voc: another capability's page asks their functions.
            if node.module.endswith(".models") and node.module.split(".")[1] != capability:
                problems += [f"reads {a.name} rows itself" for a in node.names if a.name in FOREIGN_FIGURE_TABLES]
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id == "func" and node.attr in FIGURE_AGGREGATES:
                problems.append(f"aggregates with func.{node.attr}")
            if node.value.id == "sqlalchemy" and node.attr == "text":
                problems.append("uses sqlalchemy.text (raw SQL)")
        elif isinstance(node, ast.Name) and node.id == "ExchangeRate":
            problems.append("converts currency itself (use b2bgrowth.revenue.currency.convert)")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and "read_parquet" in node.value:
            problems.append("reads Parquet itself (use b2bgrowth.events.engines)")
    return sorted(set(problems))


def test_page_modules_compute_no_figures():
    """A capability's page module (web*.py outside b2bgrowth/web) shows figures its capability's
    reports and domain functions computed: it opens no DuckDB/Parquet on the event files (the
    engine seam, b2bgrowth.events.engines, does), runs no raw SQL or SUM/AVG, converts no
    currency and reads no other capability's money or NPS rows."""
    found = {str(p.relative_to(PACKAGE)): _figure_problems(p) for p in _page_modules()}
    found = {name: problems for name, problems in found.items() if problems}
    assert not found, f"pages computing figures: {found}"


def test_templates_do_not_classify_nps_scores():
    """NPS bands come from b2bgrowth.voc.nps.band, not from thresholds written in a template."""
    import re

    pattern = re.compile(r"score\s*(>=|<=|>|<)\s*(6|7|9)\b")
    found = [str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.html") if pattern.search(p.read_text("utf-8"))]
    assert not found, f"templates classifying NPS scores: {found}"
