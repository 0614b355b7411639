"""The modules of app/ and analysis/ import each other without cycles, and never upwards.

Read from the source with `ast` (nothing is imported): every `import` and `from ... import`,
at the top of a module or inside a function (a late import is still a dependency), except
those under `if TYPE_CHECKING:`. A package importing its own submodules (a blueprint's
`__init__` registering its views, `app/__init__.py` assembling the app) is how a package is
put together, not a dependency of the package, and is left out.

The layers, lowest first:
- `analysis`: pure statistics, imports nothing of the app;
- `app.extensions`, `app.models`, `app.schema`: the database, the extensions and the migrations;
- `app.services`: the only code that writes; it imports no blueprint and not the app's
  request machinery (`app.unit_of_work`, `app.errors`, the factory);
- the blueprints (`app.participant`, `app.auth`, `app.educator`, `app.bank`, `app.reports`,
  `app.admin`) and `app.cli`, which call services; no other code imports them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BLUEPRINTS = (
    "app.participant",
    "app.auth",
    "app.educator",
    "app.bank",
    "app.reports",
    "app.admin",
    "app.cohort",
)


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    found = {}
    for top in ("app", "analysis"):
        for path in sorted((ROOT / top).rglob("*.py")):
            found[module_name(path)] = path
    return found


MODULES = modules()


def _under_type_checking(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str, path: Path) -> Iterator[str]:
    """The modules of ours that `name` imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        if _under_type_checking(node, parents):
            continue
        for target in targets:
            while target and target not in MODULES:  # `import app.models.quiz` names a module of ours
                target = target.rpartition(".")[0]
            if target and target != name and not target.startswith(name + "."):
                yield target


GRAPH = {name: sorted(set(imports_of(name, path))) for name, path in MODULES.items()}


def cycles(graph: dict[str, list[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each a set of modules in a cycle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_checker_sees_a_cycle():
    graph = {"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}
    assert cycles(graph) == [["a", "b", "c"]]
    assert "app.extensions" in GRAPH["app.models.quiz"]
    assert "app.security" in GRAPH["app.csrf"]


def test_no_import_cycles_among_app_modules():
    assert cycles(GRAPH) == []


def is_in(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in packages)


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        (("analysis",), ("app",)),
        (
            ("app.extensions", "app.models", "app.schema"),
            ("app.services", "app.csrf", "app.errors", *BLUEPRINTS),
        ),
        (("app.services",), ("app.unit_of_work", "app.errors", "app.cli", *BLUEPRINTS)),
    ],
    ids=["analysis", "models", "services"],
)
def test_no_import_runs_up_from_a_lower_layer(layer, forbidden):
    upward = sorted(
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        if is_in(name, layer)
        for target in targets
        if target == "app" or is_in(target, forbidden)
    )
    assert upward == []


#: Imports across blueprints still in the tree (none: what two blueprints share lives in app/forms.py,
#: app/drawing/ or a service).
ACROSS_BLUEPRINTS: set[str] = set()


def test_blueprints_are_imported_only_by_the_factory_and_themselves():
    from_outside = {
        f"{name} -> {target}"
        for name, targets in GRAPH.items()
        for target in targets
        if is_in(target, BLUEPRINTS)
        and not any(is_in(name, (bp,)) and is_in(target, (bp,)) for bp in BLUEPRINTS)
    }
    assert from_outside - ACROSS_BLUEPRINTS == set()


def test_nothing_imports_the_app_factory_package():
    assert sorted(name for name, targets in GRAPH.items() if "app" in targets) == []
