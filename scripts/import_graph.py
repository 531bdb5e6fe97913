#!/usr/bin/env python3
"""Draw the import graph of transparency/ and check that every arrow runs downhill.

    python scripts/import_graph.py

Every import counts, function-local and `TYPE_CHECKING` ones included: a deferred import still
couples the packages, it only hides the coupling from the import-time error. Prints the package
graph, then every cycle (between packages, and between modules of one package) and every upward
arrow, with the importing module and line. Exit status 1 when there is any.
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent / "transparency"
OUTPUTS, TOP = 6, 7
# STYLE.md's layers, lowest first; a new package must be given one. A feature (1-5) imports only
# lower layers; outputs import features and each other; the top (`<top>`: the factory, cli.py,
# the model registry and other top-level modules; admin; demo) imports anything. No cycles.
LAYERS = {
    **{"core": 0, "areas": 1, "accounts": 1, "audit": 2, "disclosures": 3, "complaints": 4, "obligations": 5},
    **dict.fromkeys(
        ["search", "charts", "printing", "feeds", "api", "dataio", "inspection", "portal", "workbench"], OUTPUTS
    ),
    **dict.fromkeys(["admin", "demo", "backup", "ops", "<top>"], TOP),
}
# People and places (areas, accounts) stand side by side: neither imports the other.
# Stricter than the layers: the log records what it is handed and imports no one it records.
ONLY = {"audit": {"core"}}


class Arrow(NamedTuple):
    importer: str  # dotted module names
    imported: str
    line: int


def package_of(module: str) -> str:
    """`transparency.audit.chain` -> `audit`; top-level modules (the factory, cli.py) -> `<top>`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "<top>"


def layer_of(package: str) -> int:
    if package not in LAYERS:
        raise SystemExit(f"scripts/import_graph.py: give the new package {package!r} a layer in LAYERS")
    return LAYERS[package]


def module_names(root: Path = ROOT) -> dict[str, Path]:
    """Dotted name -> file, for every module under `root` (a package is its __init__.py)."""
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = [root.name, *path.relative_to(root).with_suffix("").parts]
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def arrows(modules: dict[str, Path]) -> list[Arrow]:
    """Every import between two modules of transparency/, resolved to the most specific module."""
    found = []
    for importer, path in modules.items():
        is_package = path.name == "__init__.py"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = importer.split(".")[: len(importer.split(".")) - node.level + is_package]
                    base = ".".join([*anchor, *([base] if base else [])])
                targets = [f"{base}.{alias.name}" for alias in node.names]
                targets = [name if name in modules else base for name in targets]
            for target in targets:
                while target and target not in modules:
                    target = target.rpartition(".")[0]
                if target and target != importer and target.startswith(ROOT.name):
                    found.append(Arrow(importer, target, node.lineno))
    return sorted(set(found))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node, each sorted."""

    def reach(start: str) -> set[str]:
        seen, todo = set(), [start]
        while todo:
            for successor in graph.get(todo.pop(), ()):
                if successor not in seen:
                    seen.add(successor)
                    todo.append(successor)
        return seen

    reachable = {node: reach(node) for node in graph}
    components = {tuple(sorted(n for n in reachable[node] if node in reachable.get(n, ()))) for node in graph}
    return sorted(list(component) for component in components if len(component) > 1)


def is_upward(source: str, target: str) -> bool:
    """Upward, sideways between features (areas / accounts), or outside what ONLY allows."""
    high, low = layer_of(source), layer_of(target)
    too_high = low > high or (low == high < OUTPUTS) or target not in ONLY.get(source, {target})
    return source != target and too_high


def violations(found: list[Arrow]) -> list[tuple[Arrow, str]]:
    """Each upward arrow, then each arrow that closes a cycle made of arrows otherwise allowed.

    A cycle through an upward arrow is reported as that arrow; the cycles left are those between
    outputs (or top modules), and inside packages, where no single arrow is wrong by itself.
    """
    packages: dict[str, set[str]] = defaultdict(set)
    inside: dict[str, set[str]] = defaultdict(set)
    bad = []
    for arrow in found:
        source, target = package_of(arrow.importer), package_of(arrow.imported)
        if is_upward(source, target):
            bad.append((arrow, f"upward: {source} ({layer_of(source)}) may not import {target} ({layer_of(target)})"))
        elif source != target:
            packages[source].add(target)
        else:
            inside[arrow.importer].add(arrow.imported)
    package_cycle = {pkg: " <-> ".join(cycle) for cycle in cycles(packages) for pkg in cycle}
    module_cycle = {mod: " <-> ".join(cycle) for cycle in cycles(inside) for mod in cycle}
    for arrow in found:
        source, target = package_of(arrow.importer), package_of(arrow.imported)
        allowed = not is_upward(source, target)
        if source != target and allowed and package_cycle.get(source, 1) == package_cycle.get(target):
            bad.append((arrow, f"package cycle: {package_cycle[source]}"))
        elif source == target and module_cycle.get(arrow.importer, 1) == module_cycle.get(arrow.imported):
            bad.append((arrow, f"module cycle: {module_cycle[arrow.importer]}"))
    return bad


def main() -> int:
    modules = module_names()
    found = arrows(modules)
    graph: dict[str, set[str]] = defaultdict(set)
    for source, target in {(package_of(a.importer), package_of(a.imported)) for a in found}:
        if source != target:
            graph[source].add(target)
    for package in sorted(graph, key=lambda name: (layer_of(name), name)):
        print(f"{package} ({layer_of(package)}) -> {', '.join(sorted(graph[package]))}")
    for cycle in cycles(graph):
        print("package cycle:", " <-> ".join(cycle))
    bad = violations(found)
    for arrow, why in bad:
        print(f"{modules[arrow.importer].relative_to(ROOT.parent)}:{arrow.line}: {arrow.imported}  [{why}]")
    print(f"{len(bad)} violation(s)" if bad else "no cycle, no upward arrow")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
