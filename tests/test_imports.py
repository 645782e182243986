"""Import circles (issue 10): modules that import each other, at module level or inside functions.

The graph and its strongly connected components come from scripts/import_cycles.py (run it
to see every circle). There must be none; the ones broken in
issue 10 are also checked by name.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

BROKEN = [
    ("b2bgrowth.events.fileio", "b2bgrowth.events.store"),
    ("b2bgrowth.experiments.assignment", "b2bgrowth.experiments.service"),
    ("b2bgrowth.success.risk.fallback", "b2bgrowth.success.risk.features"),
]


def _checker():
    spec = importlib.util.spec_from_file_location("import_cycles", ROOT / "scripts" / "import_cycles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


checker = _checker()


@pytest.fixture(scope="module")
def graph():
    return checker.import_graph(ROOT, "b2bgrowth")


@pytest.fixture(scope="module")
def circles(graph):
    return checker.circles(graph)


def describe(found: list[list[str]]) -> str:
    return "\n".join(f"{len(c)} modules: {', '.join(c)}" for c in found)


@pytest.mark.parametrize("modules", BROKEN, ids=lambda pair: " <-> ".join(m.rsplit(".", 1)[-1] for m in pair))
def test_broken_circle_stays_broken(circles, modules):
    assert not checker.in_one_circle(circles, *modules), describe(circles)


def test_no_circle_at_all(circles):
    assert circles == [], describe(circles)


def test_checker_sees_imports_inside_functions_and_finds_circles(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("def f():\n    from pkg.sub.c import g\n")
    (package / "sub" / "c.py").write_text("from .. import a\nimport pkg.d\n")
    (package / "d.py").write_text("import os\n")
    graph = checker.import_graph(tmp_path, "pkg")
    assert graph["pkg.b"] == {"pkg.sub.c"} and graph["pkg.sub.c"] == {"pkg.a", "pkg.d"}
    assert checker.circles(graph) == [["pkg.a", "pkg.b", "pkg.sub.c"]]
    (package / "b.py").write_text("def f():\n    pass\n")
    assert checker.circles(checker.import_graph(tmp_path, "pkg")) == []


def test_checker_leaves_out_type_checking_imports(tmp_path):
    """`if TYPE_CHECKING:` imports never run (import-linter leaves them out too)."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from pkg import b\n")
    (package / "b.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pkg.a import A\n")
    assert checker.circles(checker.import_graph(tmp_path, "pkg")) == []
    (package / "b.py").write_text("def f():\n    from pkg.a import A\n")
    assert checker.circles(checker.import_graph(tmp_path, "pkg")) == [["pkg.a", "pkg.b"]]
