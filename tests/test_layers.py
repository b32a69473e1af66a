"""The layer line (docs/decisions/0016-the-layers.md): the import-linter contract in pyproject.toml
holds with no ignored import, and no two top-level packages import each other, directly or
through others."""

import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

from tests.conftest import ROOT

CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def package_graph() -> dict[str, set[str]]:
    """Which top-level package imports which, from every import statement (functions included)."""
    packages = CONFIG["root_packages"]
    graph = grimp.build_graph(*packages, cache_dir=None)
    edges: dict[str, set[str]] = {package: set() for package in packages}
    for package in packages:
        for module in graph.find_descendants(package) | {package}:
            for imported in graph.find_modules_directly_imported_by(module):
                top = imported.split(".")[0]
                if top != package and top in edges:
                    edges[package].add(top)
    return edges


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    found, path, done = [], [], set()

    def visit(node: str) -> None:
        if node in path:
            found.append([*path[path.index(node) :], node])
            return
        if node in done:
            return
        path.append(node)
        for following in sorted(edges[node]):
            visit(following)
        path.pop()
        done.add(node)

    for node in sorted(edges):
        visit(node)
    return found


def test_no_import_circle_between_packages():
    edges = package_graph()
    assert cycles(edges) == []
    # The engine below the apps knows none of them.
    assert edges["compact_portal"] == set()
    assert edges["notifications"] <= {"compact_portal", "accounts"}


def test_the_cycle_finder_finds_a_circle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_contract_holds_and_ignores_no_import():
    for contract in CONFIG["contracts"]:
        assert "ignore_imports" not in contract, contract["name"]
    layers = next(contract for contract in CONFIG["contracts"] if contract["type"] == "layers")["layers"]
    assert layers[-3:] == ["notifications", "accounts", "compact_portal"]
    lint_imports = str(Path(sys.executable).parent / "lint-imports")  # installed beside this Python
    done = subprocess.run([lint_imports], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:]
