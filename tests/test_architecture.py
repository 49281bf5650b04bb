"""The layers of docs/architecture.md, held against the source: every import (at module level,
inside a function, or for type checking only) points to the module's own layer or one below it,
no modules import each other in a circle, and nothing below ``render`` loads a writer library."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "toolkit"

# Lowest first; a module may import its own layer and the layers below. Keep in step with the
# table in docs/architecture.md (test_the_documented_layers_are_these checks it).
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("base", ("toolkit.base",)),
    ("reading", ("toolkit.reading",)),
    ("config model", ("toolkit.config.model",)),
    ("records", ("toolkit.records", "toolkit.config")),
    ("present", ("toolkit.present", "toolkit.definitions")),
    ("kinds", ("toolkit.scores", "toolkit.items", "toolkit.homework", "toolkit.observation",
               "toolkit.weakpoints", "toolkit.lekao", "toolkit.kinds")),
    ("analysis", ("toolkit.check", "toolkit.pack", "toolkit.feedback")),
    ("render", ("toolkit.render",)),
    ("apps", ("toolkit.demo", "toolkit.web", "toolkit.cli", "toolkit")),
)  # fmt: skip
WRITER_LIBRARIES = ("xlsxwriter", "docx", "pptx", "matplotlib", "openpyxl")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _resolve(name: str) -> str:
    """The module ``name`` lives in: ``toolkit.base.text.normalize`` → ``toolkit.base.text``."""
    while name not in MODULES and "." in name:
        name = name.rpartition(".")[0]
    return name


def _imports(module: str) -> Iterator[tuple[str, int]]:
    """Every name ``module`` imports, with its line: toolkit modules resolved, others as written."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full, node.lineno


def _graph() -> dict[str, set[str]]:
    return {
        module: {_resolve(name) for name, _ in _imports(module) if name.split(".")[0] == "toolkit"}
        - {module}
        for module in MODULES
    }


def _layer(module: str) -> int:
    """Index of ``module``'s layer: the longest matching prefix decides (config.model < config)."""
    best = (-1, -1)
    for index, (_, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                best = max(best, (len(prefix), index))
    assert best[1] >= 0, f"{module} is in no layer of docs/architecture.md"
    return best[1]


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, edges = work[-1]
            step = next(edges, None)
            if step is not None:
                if step not in index:
                    index[step] = low[step] = len(index)
                    stack.append(step)
                    on_stack.add(step)
                    work.append((step, iter(sorted(graph[step]))))
                elif step in on_stack:
                    low[node] = min(low[node], index[step])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_circles() -> None:
    assert _circles(_graph()) == []


def test_the_circle_finder_finds_a_circle() -> None:
    # The finder itself: a planted circle a → b → c → a beside a chain d → a.
    planted = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _circles(planted) == [["a", "b", "c"]]


def test_every_import_points_down_or_across() -> None:
    upward = [
        f"{module} → {target} ({LAYERS[_layer(module)][0]} → {LAYERS[_layer(target)][0]})"
        for module, targets in _graph().items()
        for target in targets
        if _layer(target) > _layer(module)
    ]
    assert upward == []


def test_the_layers_are_not_empty_words() -> None:
    # Each layer holds modules, and an import from render into pack would be caught.
    assert all(any(_layer(m) == i for m in MODULES) for i in range(len(LAYERS)))
    assert _layer("toolkit.render.xlsx.report_book") > _layer("toolkit.pack.term")
    assert _layer("toolkit.config.model") < _layer("toolkit.config.read")


@pytest.mark.parametrize("library", WRITER_LIBRARIES)
def test_nothing_below_render_loads_a_writer_library(library: str) -> None:
    render = next(i for i, (name, _) in enumerate(LAYERS) if name == "render")
    users = [
        f"{module}:{line}"
        for module in MODULES
        if _layer(module) < render
        for name, line in _imports(module)
        if name.split(".")[0] == library
    ]
    assert users == []


def test_demo_code_is_imported_by_the_apps_only() -> None:
    importers = sorted(
        module
        for module, targets in _graph().items()
        if any(t.startswith("toolkit.demo") for t in targets)
        and not module.startswith(("toolkit.demo", "toolkit.cli", "toolkit.web"))
    )
    assert importers == []


def test_the_documented_layers_are_these() -> None:
    text = (PACKAGE.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    for name, prefixes in LAYERS:
        assert f"| {name} |" in text, name
        for prefix in prefixes:
            assert (
                f"`{prefix.removeprefix('toolkit.') if prefix != 'toolkit' else 'toolkit'}" in text
            ), prefix


def test_rendering_never_looks_for_inputs_again() -> None:
    # Reports carry the files their read step found; a writer that walked the inputs again could
    # check its target against other files than those read (and walks the disk twice).
    lookups = [
        f"{module}:{line}"
        for module in MODULES
        if module.startswith(("toolkit.render", "toolkit.cli"))
        for name, line in _imports(module)
        if name in ("toolkit.reading.discover.discover", "toolkit.reading.parallel")
    ]
    assert lookups == []
