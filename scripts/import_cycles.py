#!/usr/bin/env python3
"""Import circles in the b2bgrowth package.

Parses every module with `ast` (nothing is imported or run), collects every import — at
module level and inside functions — and reports the strongly connected components of the import
graph that hold more than one module. Imports under `if TYPE_CHECKING:` are left out, as
import-linter's contracts leave them out (pyproject.toml): they never run, and they are how a
core function names the Workspace it is handed without depending on it.

    python scripts/import_cycles.py            # print the circles, exit 1 if there are any
    python scripts/import_cycles.py --package b2bgrowth --root .

tests/test_imports.py uses `import_graph` and `circles` from here.
"""

from __future__ import annotations

import argparse
import ast
import sys
from pathlib import Path


def module_names(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name → file, for every .py file of the package."""
    out: dict[str, Path] = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _resolve(module: str, is_package: bool, level: int, target: str | None) -> str:
    """The absolute name of a relative import `from ..target import x` inside `module`."""
    if level == 0:
        return target or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    if level > 1:
        base = base[: len(base) - (level - 1)]
    return ".".join(base + ([target] if target else []))


def _owner(name: str, modules: dict[str, Path]) -> str | None:
    """The longest known module that `name` is or lives in."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """Package modules imported anywhere in `path` (module level and inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    type_checking_only = {id(n) for block in ast.walk(tree) if _is_type_checking_block(block)
                          for n in ast.walk(block)}
    for node in ast.walk(tree):
        if id(node) in type_checking_only:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                owner = _owner(alias.name, modules)
                if owner:
                    found.add(owner)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(module, is_package, node.level, node.module)
            for alias in node.names:
                # `from pkg import sub` imports the sub-module when there is one.
                owner = _owner(f"{base}.{alias.name}", modules) if alias.name != "*" else None
                owner = owner if owner and owner != _owner(base, modules) else _owner(base, modules)
                if owner:
                    found.add(owner)
    found.discard(module)
    return found


def import_graph(root: Path | str = ".", package: str = "b2bgrowth") -> dict[str, set[str]]:
    """module → the package modules it imports.

    Importing `a.b.c` also runs `a/__init__.py` and `a/b/__init__.py`, but those edges are
    left out on purpose: a package that re-exports its sub-modules would otherwise put every
    sub-module in a circle with its parent. Only the imports written in the code count.
    """
    modules = module_names(Path(root), package)
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (deep packages would pass Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(sorted(component))
    return components


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module, largest first."""
    found = [c for c in strongly_connected(graph) if len(c) > 1]
    return sorted(found, key=lambda c: (-len(c), c))


def in_one_circle(found: list[list[str]], *modules: str) -> bool:
    """True when all `modules` sit in the same circle (so they still import each other)."""
    return any(set(modules) <= set(c) for c in found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--package", default="b2bgrowth")
    args = parser.parse_args(argv)
    graph = import_graph(args.root, args.package)
    found = circles(graph)
    for component in found:
        print(f"{len(component)} modules:")
        members = set(component)
        for name in component:
            inside = sorted(graph[name] & members)
            print(f"  {name} -> {', '.join(inside)}")
    print(f"{len(found)} circle(s) among {len(graph)} modules")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
