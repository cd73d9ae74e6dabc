"""No import circle between casework's modules: each one can be read, tested and changed from
the ones it imports, downward. (The layers themselves are `make lint`'s import-linter
contracts, in .importlinter.)"""
from __future__ import annotations

import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]


def circles(graph, prefix: str) -> list[list[str]]:
    """The groups of modules under `prefix` that import one another in a circle (Tarjan)."""
    order: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        order[module] = low[module] = len(order)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if not imported.startswith(prefix):
                continue
            if imported not in order:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], order[imported])
        if low[module] == order[module]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(graph.modules):
        if module.startswith(prefix) and module not in order:
            visit(module)
    return found


@pytest.fixture(scope="module")
def graph():
    sys.path.insert(0, str(ROOT))
    try:
        return grimp.build_graph("casework", "workflows", cache_dir=None)
    finally:
        sys.path.remove(str(ROOT))


@pytest.mark.no_db
@pytest.mark.parametrize("package", ["casework", "workflows"])
def test_no_module_imports_itself_through_others(graph, package):
    assert circles(graph, package) == []


@pytest.mark.no_db
def test_the_check_finds_a_circle():
    class Graph:
        modules = {"casework.a", "casework.b", "casework.c"}

        @staticmethod
        def find_modules_directly_imported_by(module):
            return {"casework.a": {"casework.b"}, "casework.b": {"casework.c"},
                    "casework.c": {"casework.a"}}[module]

    assert circles(Graph(), "casework") == [["casework.a", "casework.b", "casework.c"]]
