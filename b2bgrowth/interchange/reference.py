"""Render the column reference of docs/interchange.md from the entity declarations.

`python -m b2bgrowth.interchange.reference --write` rewrites the part of docs/interchange.md
between the markers; tests/interchange/test_reference.py fails when they drift apart.
"""

from __future__ import annotations

import sys
from pathlib import Path

from b2bgrowth.interchange.entities import ENTITIES, ENUM_ALIASES, Column, EntitySpec
from b2bgrowth.interchange.validation import REFERENCE_NOUNS

BEGIN = "<!-- BEGIN generated: python -m b2bgrowth.interchange.reference --write -->"
END = "<!-- END generated -->"
DOC = Path(__file__).resolve().parents[2] / "docs" / "interchange.md"

KIND_NAMES = {
    "text": "text",
    "count": "whole number ≥ 0",
    "money": "money (decimal ≥ 0)",
    "date": "date",
    "datetime": "date and time",
    "nps_score": "integer 0–10",
    "enum": "one of",
}


def _type(col: Column) -> str:
    if col.kind == "enum":
        values = []
        for value in col.enum or ():
            chinese = "/".join(ENUM_ALIASES.get(value, ()))
            values.append(f"`{value}`" + (f" ({chinese})" if chinese else ""))
        return "one of " + ", ".join(values)
    out = KIND_NAMES[col.kind]
    if col.kind == "text" and col.max_length:
        out += f" (≤ {col.max_length})"
    return out


def _notes(spec: EntitySpec, col: Column) -> str:
    notes = []
    if col.name in spec.key:
        notes.append("key" if len(spec.key) == 1 else f"key ({' + '.join(spec.key)})")
    if col.required:
        notes.append("required")
    if col.default is not None:
        notes.append(f"default `{col.default}`")
    if col.references:
        where = "in the store or this file" if col.references == spec.name else "in the store"
        notes.append(f"must name an existing {REFERENCE_NOUNS[col.references]} ({where})")
    if spec.ordered and col.name == spec.ordered[0]:
        end, start, may_equal = spec.ordered
        notes.append(f"{'≥' if may_equal else '>'} {start}")
    if col.attr:
        notes.append(f"stored as `{col.attr}`")
    if col.check_note:
        notes.append(col.check_note)
    return "; ".join(notes)


def render() -> str:
    out = []
    for spec in ENTITIES.values():
        out.append(f"### {spec.name}\n")
        out.append("| column | Chinese headers | type | notes |")
        out.append("| --- | --- | --- | --- |")
        for col in spec.columns:
            aliases = ", ".join(col.aliases)
            out.append(f"| `{col.name}` | {aliases} | {_type(col)} | {_notes(spec, col)} |")
        out.append("")
    return "\n".join(out)


def splice(document: str) -> str:
    head, _, rest = document.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n\n{render()}\n{END}{tail}"


if __name__ == "__main__":
    if "--write" in sys.argv:
        DOC.write_text(splice(DOC.read_text(encoding="utf-8")), encoding="utf-8")
    else:
        sys.stdout.write(render())
