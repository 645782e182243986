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


# -- capabilities use each other through their public surface (issue 10, item 2) ---------------
# Which module another capability may import is pyproject.toml's import contract "Capabilities use
# each other only through api and models"; what those imports may name is checked here.

def _capabilities() -> list[str]:
    import tomllib

    config = tomllib.loads((TESTS.parent / "pyproject.toml").read_text(encoding="utf-8"))
    layers = next(c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    layer = next(entry for entry in layers if "b2bgrowth.accounts" in entry)
    return [name.strip().split(".")[1] for name in layer.split(":")]


def test_every_public_surface_exports_public_names_it_defines():
    import importlib

    for capability in _capabilities():
        if not (PACKAGE / capability / "api.py").exists():
            continue
        api = importlib.import_module(f"b2bgrowth.{capability}.api")
        assert api.__doc__ and "public surface" in api.__doc__, f"{capability}/api.py: say it is the public surface"
        exported = list(getattr(api, "__all__", []))
        assert exported, f"{capability}/api.py has no __all__"
        assert not [n for n in exported if n.startswith("_")], f"{capability}/api.py exports private names"
        assert not [n for n in exported if not hasattr(api, n)], f"{capability}/api.py: __all__ names a missing name"


def test_no_capability_imports_private_or_unexported_names_of_another():
    import ast
    import importlib

    capabilities = set(_capabilities())
    problems = []
    for capability in sorted(capabilities):
        for path in sorted((PACKAGE / capability).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.ImportFrom) or node.level or not node.module:
                    continue
                parts = node.module.split(".")
                if parts[0] != "b2bgrowth" or len(parts) < 2 or parts[1] not in capabilities - {capability}:
                    continue
                where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
                if parts[2:] == ["api"]:
                    public = set(importlib.import_module(node.module).__all__)
                    problems += [f"{where} imports {a.name} from {node.module} (not in its __all__)"
                                 for a in node.names if a.name not in public]
                problems += [f"{where} imports {a.name} from {node.module}"
                             for a in node.names if a.name.startswith("_")]
    assert not problems, "\n".join(problems)
