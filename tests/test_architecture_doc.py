"""ARCHITECTURE.md stays true: the paths it names exist, every package is in its map, and the
layers it draws are the ones import-linter enforces."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from b2bgrowth import capabilities

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "b2bgrowth"
TEXT = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
TICKED = re.findall(r"`([^`\s]+)`", TEXT)


# Folders that runs create (git-ignored), named as where output goes.
GENERATED = {"test-artifacts", "b2bgrowth-data", "bench/data"}


def _exists(path: str) -> bool:
    path = path.split(":")[0].rstrip("/")
    if path in GENERATED:
        return True
    if any((base / path).exists() for base in (ROOT, PACKAGE)):
        return True
    # A sub-folder named in its capability's row (`risk/` in success's) exists somewhere below.
    return "/" not in path and any(p.is_dir() for p in PACKAGE.rglob(path))


def test_every_path_it_names_exists():
    # Paths outside the repository (../shared/…) are not the code's, and a clone may lack them.
    paths = [t for t in TICKED if "/" in t and re.fullmatch(r"[\w./-]+", t) and not t.startswith("/")
             and not t.startswith("<") and not t.startswith("../")]
    missing = sorted({p for p in paths if not _exists(p)})
    assert not missing, f"ARCHITECTURE.md names paths that do not exist: {missing}"


def _table_rows() -> dict[str, str]:
    rows = {}
    section = TEXT.split("## Where each capability lives", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            for folder in re.findall(r"`([\w]+)/`", first):
                rows[folder] = line
    return rows


def test_every_package_is_in_the_map_and_every_file_in_a_row_exists():
    rows = _table_rows()
    packages = {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    assert packages - set(rows) == set(), f"packages missing from the map: {sorted(packages - set(rows))}"
    for folder, line in rows.items():
        if folder == "bench":
            continue
        assert (PACKAGE / folder).is_dir(), f"the map names b2bgrowth/{folder}/, which does not exist"
        for name in re.findall(r"`([\w]+\.py)`", line):
            found = list((PACKAGE / folder).rglob(name)) or list(PACKAGE.rglob(name))
            assert found, f"{folder}/ row names {name}, which is nowhere in b2bgrowth/"


def test_every_builtin_capability_is_drawn_in_the_layers():
    layers = TEXT.split("## Layers", 1)[1].split("```", 2)[1]
    for ref in capabilities.BUILTIN:
        package = ref.split(":")[0].split(".")[1]
        assert package in layers, f"{package} is a built-in capability but not in the layer drawing"


def test_the_layers_drawn_are_the_contract_enforced():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(c for c in config["tool"]["importlinter"]["contracts"] if c["type"] == "layers")
    enforced = [[m.strip() for m in layer.split(":")] for layer in contract["layers"]]
    drawing = TEXT.split("## Layers", 1)[1].split("```", 2)[1]
    # Each enforced layer's packages appear in the drawing, in the same top-to-bottom order.
    positions = []
    for layer in enforced:
        where = []
        for module in layer:
            short = module.removeprefix("b2bgrowth.").replace(".", "/")
            candidates = [short + ".py", short + "/", short.split("/")[-1] + ".py", short.split("/")[-1] + "/", short]
            hit = min((drawing.find(c) for c in candidates if drawing.find(c) >= 0), default=-1)
            assert hit >= 0, f"{module} is in the import-linter layers but not in ARCHITECTURE.md's drawing"
            where.append(hit)
        positions.append((min(where), max(where)))
    for (upper, lower) in zip(positions, positions[1:]):
        assert upper[0] < lower[1], "the drawing's layer order differs from pyproject.toml's"
