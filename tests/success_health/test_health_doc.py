"""docs/metrics.md documents every field the health report prints (same rule as tests/test_metrics_doc.py)."""

from __future__ import annotations

import re
from pathlib import Path

from .planted_health import AS_OF

DOC = Path(__file__).resolve().parents[2] / "docs" / "metrics.md"


def keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in keys(v)}
    return set()


def test_health_fields_documented(planted):
    text = DOC.read_text(encoding="utf-8")
    section = text[text.index("## Customer success — health"):]
    section = section[: section.find("\n## ", 5)] if "\n## " in section[5:] else section
    names = {n for line in section.splitlines() if line.startswith("#") for n in re.findall(r"`([a-z_]+)`", line)}
    missing = sorted(keys(planted.report("health", as_of=AS_OF)) - names)
    assert not missing, f"docs/metrics.md § Customer success — health lacks: {', '.join(missing)}"
