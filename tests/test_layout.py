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
