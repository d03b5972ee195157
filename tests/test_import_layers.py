"""Imports flow one way: data -> analysis (and registry) -> maps -> report -> ui -> the entry points and pages.

Every module's imports are read from its syntax tree (imports inside functions included), so a lazy import
cannot hide an upward dependency. A test fails naming both files of an upward import, or the files of a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from dashboard.data import paths

ROOT = paths.ROOT
#: The rank of each layer: a module may import its own layer and the layers of lower rank only.
#: ``analysis`` and ``registry`` sit side by side: neither imports the other.
LAYERS = {"data": 0, "analysis": 1, "registry": 1, "maps": 2, "report": 3, "ui": 4, "top": 5, "pages": 6}
#: Modules of the package's top folder: the command line and the server are entry points.
TOP = {"dashboard", "dashboard.cli", "dashboard.serve", "dashboard.__main__"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _layer(module: str) -> str:
    if module.startswith("pages.") or module == "app":
        return "pages"
    if module in TOP:
        return "top"
    return module.split(".")[1]


def _sources() -> dict[str, Path]:
    files = [*(ROOT / "dashboard").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py"]
    return {_module_name(p): p for p in files if "_root" not in p.parts}


MODULES = _sources()


def _imports(module: str, path: Path) -> set[str]:
    """The package modules ``module`` imports (``from x import y`` counts ``x.y`` when it is a module)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.split(".")[0] == "dashboard")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.split(".")[0] != "dashboard":
                continue
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if candidate in MODULES else target)
    return {m for m in found if m in MODULES and m != module}


GRAPH = {m: _imports(m, p) for m, p in MODULES.items()}


def test_every_module_belongs_to_a_known_layer():
    unknown = sorted(str(MODULES[m].relative_to(ROOT)) for m in MODULES if _layer(m) not in LAYERS)
    assert not unknown, f"modules outside every layer (add them to a layer folder): {unknown}"


def test_no_import_from_a_higher_layer():
    upward = []
    for module, targets in GRAPH.items():
        for target in targets:
            here, there = _layer(module), _layer(target)
            if (
                there in LAYERS
                and here in LAYERS
                and (LAYERS[there] > LAYERS[here] or (LAYERS[there] == LAYERS[here] and there != here))
            ):
                upward.append(
                    f"{MODULES[module].relative_to(ROOT)} ({here}) imports "
                    f"{MODULES[target].relative_to(ROOT)} ({there})"
                )
    assert not upward, "imports against the layers:\n" + "\n".join(sorted(upward))


def _cycle() -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(GRAPH[node]):
            if nxt == "dashboard":
                continue  # the empty package __init__ is every module's parent, not a dependency
            if state.get(nxt) == 1:
                return stack[stack.index(nxt) :] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(GRAPH):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycle():
    cycle = _cycle()
    assert cycle is None, "import cycle: " + " -> ".join(str(MODULES[m].relative_to(ROOT)) for m in cycle)


def test_only_ui_imports_streamlit():
    offenders = []
    for module, path in MODULES.items():
        if _layer(module) in {"ui", "pages"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            if any(n.split(".")[0] in {"streamlit", "streamlit_folium"} for n in names):
                offenders.append(str(path.relative_to(ROOT)))
    assert not offenders, f"Streamlit imported outside dashboard/ui: {sorted(set(offenders))}"


@pytest.mark.parametrize(
    "source, planted, expected",
    [
        ("analysis/x.py", "from dashboard.report import brief\n", "upward"),
        ("data/x.py", "from dashboard.analysis import measures\n", "upward"),
    ],
)
def test_the_checker_sees_a_planted_upward_import(source, planted, expected):
    module = "dashboard." + source[:-3].replace("/", ".")
    path = ROOT / "dashboard" / source
    imports = set()
    tree = ast.parse(planted)
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            imports.update(f"{node.module}.{a.name}" for a in node.names)
    here = _layer(module)
    assert any(LAYERS[_layer(t)] > LAYERS[here] for t in imports), (expected, path)
