"""The package's layers, stated once: who may import whom, and no import cycles.

Every import in ``scaffolder/`` counts, including those inside functions; imports under
``if TYPE_CHECKING:`` are for the type checker only and are left out of the cycle check,
but must still respect the layers.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import REPO

PACKAGE = REPO / "scaffolder"

# The architecture. A layer may import itself and the layers listed for it, nothing else.
ROOT = "root"  # scaffolder/__init__.py, errors.py, resources.py: shared by every layer
DECIDE = "decide"  # the pure decision core
PROJECT = "project"  # the pipeline: plan, render, git, new, update
TUI = "tui"  # the wizard (an interface)
CLI = "cli"  # the command line (an interface); it launches the wizard
ALLOWED: dict[str, set[str]] = {
    ROOT: {ROOT},
    DECIDE: {ROOT, DECIDE},
    PROJECT: {ROOT, DECIDE, PROJECT},
    TUI: {ROOT, DECIDE, PROJECT, TUI},
    CLI: {ROOT, DECIDE, PROJECT, TUI, CLI},
}
# Third-party and standard modules a layer must never import.
FORBIDDEN: dict[str, set[str]] = {
    ROOT: {"subprocess", "copier", "textual", "yaml"},
    DECIDE: {"subprocess", "copier", "textual", "shutil"},
    PROJECT: {"textual"},
    TUI: set(),
    CLI: {"copier"},
}
ONLY_COPIER_IMPORT = "scaffolder.project.render"


def layer_of(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in ("decide", "project", "tui"):
        return parts[1]
    if module in ("scaffolder", "scaffolder.errors", "scaffolder.resources"):
        return ROOT
    if module in ("scaffolder.cli", "scaffolder.cli_new", "scaffolder.terminal"):
        return CLI
    if module == "scaffolder.__main__":
        return CLI
    raise AssertionError(f"{module} belongs to no layer: add it to tests/test_architecture.py")


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports(path: Path, module: str) -> Iterator[tuple[str, bool, int]]:
    """(imported module, whether only for type checking, line) for every import in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            typing_only.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(tree):
        only_types = id(node) in typing_only
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, only_types, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield base, only_types, node.lineno
            # `from scaffolder.project import render` imports the submodule.
            for alias in node.names:
                yield f"{base}.{alias.name}", only_types, node.lineno


def internal_graph(include_typing: bool) -> dict[str, set[str]]:
    known = modules()
    graph: dict[str, set[str]] = {m: set() for m in known}
    for module, path in known.items():
        for target, only_types, _ in imports(path, module):
            if only_types and not include_typing:
                continue
            if target in known and target != module:
                graph[module].add(target)
    return graph


def test_every_module_has_a_layer() -> None:
    for module in modules():
        layer_of(module)


def test_imports_only_run_downward() -> None:
    known = modules()
    wrong = []
    for module, path in known.items():
        layer = layer_of(module)
        for target, _, line in imports(path, module):
            if target in known:
                if layer_of(target) not in ALLOWED[layer]:
                    wrong.append(f"{path.relative_to(REPO)}:{line}: {layer} imports {target}")
            elif target.split(".")[0] in FORBIDDEN[layer]:
                wrong.append(f"{path.relative_to(REPO)}:{line}: {layer} imports {target}")
            elif target.split(".")[0] == "copier" and module != ONLY_COPIER_IMPORT:
                wrong.append(f"{path.relative_to(REPO)}:{line}: only render imports Copier")
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = internal_graph(include_typing=False)
    cycles = find_cycles(graph)
    assert cycles == [], "\n".join(" -> ".join(c) for c in cycles)


def test_layers_form_no_cycle() -> None:
    """The table itself: no two layers may import each other."""
    for layer, allowed in ALLOWED.items():
        for other in allowed - {layer}:
            assert layer not in ALLOWED[other], (layer, other)


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One example cycle per strongly connected component (Tarjan)."""
    sys.setrecursionlimit(max(1000, len(graph) * 4))
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return components


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_cycle_finder_finds_cycles(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert find_cycles(graph) == expected


def test_the_walker_sees_imports_inside_functions(tmp_path: Path) -> None:
    source = tmp_path / "mod.py"
    source.write_text("def f():\n    from scaffolder.tui.launch import run_wizard\n")
    found = {target for target, _, _ in imports(source, "scaffolder.project.mod")}
    assert "scaffolder.tui.launch" in found


def test_readme_draws_every_layer() -> None:
    """The README's picture names every subpackage and top-level module that exists."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How fwpick is built", 1)[1].split("\n## ", 1)[0]
    for path in sorted(PACKAGE.iterdir()):
        if path.is_dir() and (path / "__init__.py").exists():
            assert f"{path.name}/" in section, path.name
        elif path.suffix == ".py" and not path.name.startswith("__"):
            assert path.name in section, path.name
