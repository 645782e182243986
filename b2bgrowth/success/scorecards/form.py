"""The scorecard editor's HTML form ↔ a definition dict; validation errors in the form's words.

Field names: name, note, tiers (repeated), stages (repeated), green, yellow;
group rows g{i}_name, g{i}_weight; measure rows m{j}_group (a group row number), m{j}_measure,
m{j}_label, m{j}_signal, m{j}_weight, m{j}_kind, m{j}_direction, m{j}_good, m{j}_poor,
m{j}_zero_at, m{j}_full_at, m{j}_delete. A group row without a name and a measure row without
a measure name are blank (ignored); the editor always offers a few blank rows to add to.
"""

from __future__ import annotations

import re

BLANK_GROUPS = 1
BLANK_MEASURES = 3
NUMBER_FIELDS = ("weight", "good", "poor", "zero_at", "full_at")


def _number(raw: str | None):
    """A float, None when empty, or the raw text (so validation names the field and the value)."""
    text = (raw or "").strip().replace(",", "")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        return raw


def rows_for(definition: dict) -> tuple[list[dict], list[dict]]:
    """Group and measure rows to pre-fill the form, plus blank rows to add new ones."""
    groups, measures = [], []
    for gi, group in enumerate(definition.get("groups") or []):
        groups.append({"name": group.get("name", ""), "weight": group.get("weight", "")})
        for m in group.get("measures") or []:
            measures.append({**m, "group": gi})
    groups += [{"name": "", "weight": ""} for _ in range(BLANK_GROUPS)]
    measures += [{"measure": "", "group": 0, "kind": "thresholds", "direction": "higher_better", "weight": 1}
                 for _ in range(BLANK_MEASURES)]
    return groups, measures


def definition_from_form(scorecard_id: str, form) -> dict:
    """The definition dict a submitted editor form describes (not yet validated)."""
    def get(key: str) -> str:
        value = form.get(key)
        return value if isinstance(value, str) else ""

    keys = list(form.keys())
    group_rows = sorted({int(m.group(1)) for k in keys if (m := re.fullmatch(r"g(\d+)_name", k))})
    measure_rows = sorted({int(m.group(1)) for k in keys if (m := re.fullmatch(r"m(\d+)_measure", k))})
    groups: dict[int, dict] = {}
    for gi in group_rows:
        name = get(f"g{gi}_name").strip()
        if name:
            groups[gi] = {"name": name, "weight": _number(get(f"g{gi}_weight")), "measures": []}
    orphans = []
    for mj in measure_rows:
        name = get(f"m{mj}_measure").strip()
        if not name or get(f"m{mj}_delete"):
            continue
        kind = get(f"m{mj}_kind") or "thresholds"
        measure = {"measure": name, "signal": get(f"m{mj}_signal"), "kind": kind,
                   "weight": _number(get(f"m{mj}_weight"))}
        if get(f"m{mj}_label").strip():
            measure["label"] = get(f"m{mj}_label").strip()
        if measure["weight"] is None:
            measure.pop("weight")  # default 1
        if kind == "linear":
            measure.update(zero_at=_number(get(f"m{mj}_zero_at")), full_at=_number(get(f"m{mj}_full_at")))
        else:
            measure.update(direction=get(f"m{mj}_direction") or "higher_better",
                           good=_number(get(f"m{mj}_good")), poor=_number(get(f"m{mj}_poor")))
        target = _number(get(f"m{mj}_group"))
        if isinstance(target, float) and int(target) in groups:
            groups[int(target)]["measures"].append(measure)
        else:
            orphans.append(name)
    data = {
        "scorecard_id": scorecard_id, "name": get("name").strip(),
        "applies_to": {"tiers": [t for t in form.getlist("tiers")], "stages": [s for s in form.getlist("stages")]},
        "colors": {"green": _number(get("green")), "yellow": _number(get("yellow"))},
        "groups": [g for _, g in sorted(groups.items())],
    }
    data["colors"] = {k: v for k, v in data["colors"].items() if v is not None}
    if get("note").strip():
        data["note"] = get("note").strip()
    if orphans:
        data["_orphans"] = orphans
    return data


def friendly(message: str, data: dict) -> list[str]:
    """Split DefinitionError text into lines and name groups and measures instead of indexes:
    `groups.0.measures.1.good: …` → `Adoption › breadth › good: …`."""
    groups = data.get("groups") or []

    def rename(match: re.Match) -> str:
        gi = int(match.group(1))
        group = groups[gi] if gi < len(groups) else {}
        name = group.get("name") or f"group {gi + 1}"
        tail = " › " if match.group(3) else ""
        if match.group(2) is None:
            return name + tail
        mj = int(match.group(2))
        measures = group.get("measures") or []
        measure = measures[mj].get("measure") if mj < len(measures) else None
        return f"{name} › {measure or f'measure {mj + 1}'}" + tail

    lines = []
    for part in message.split("; "):
        part = re.sub(r"groups\.(\d+)(?:\.measures\.(\d+))?(\.)?", rename, part)
        lines.append(part.replace(".", " › ", 1) if part.startswith(("applies_to.", "colors.")) else part)
    return lines
