"""The package's shape, checked: no import cycle, lazy imports included; every module imports
on its own; no module reaches into another's private names; modules keep to a readable size.

The import graph is read from the source (every ``import`` statement, inside functions too, but
not those under ``if TYPE_CHECKING:``, which never run), so a cycle fails here before it fails a
user's import in some order nobody tried.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import fm_papers

PACKAGE = Path(fm_papers.__file__).resolve().parent
#: Module name -> its source file: the package and its extension (fm_papers.sphinxext).
MODULES: dict[str, Path] = {}
# Links followed: in a checkout, fm_papers/sphinxext is a link to the top-level sphinxext/.
for _folder, _, _files in sorted(os.walk(PACKAGE, followlinks=True)):
    for _file in sorted(f for f in _files if f.endswith(".py")):
        _parts = (Path(_folder) / _file).relative_to(PACKAGE).with_suffix("").parts
        MODULES[".".join(("fm_papers", *(p for p in _parts if p != "__init__")))] = (
            Path(_folder) / _file
        )
#: The longest a module may be without a reason stated in its docstring ("Long because ...").
MOST_LINES = 400


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _run_time_nodes(tree: ast.AST) -> Iterator[ast.AST]:
    """Every node that can run: the bodies of ``if TYPE_CHECKING:`` are left out."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and _is_type_checking(node):
            for other in node.orelse:
                yield other
                yield from _run_time_nodes(other)
            continue
        yield node
        yield from _run_time_nodes(node)


def _imports(name: str, path: Path) -> set[str]:
    """The package's modules that ``name`` imports when it runs, at any depth of its code."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in _run_time_nodes(ast.parse(path.read_text(encoding="utf-8"))):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")
                parent = parent[: len(parent) - node.level + 1]
                base = ".".join([*parent, *([base] if base else [])])
            # "from . import commands" imports a module; "from .x import y" the module x.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
                for alias in node.names
            ]
        found |= {target for target in targets if target in MODULES and target != name}
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for child in sorted(graph[node]):
            if child not in index:
                visit(child)
                low[node] = min(low[node], low[child])
            elif child in on_stack:
                low[node] = min(low[node], index[child])
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

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_read() -> None:
    """The reader sees lazy imports and relative ones (or the next test could not fail)."""
    assert "fm_papers.catalogue" in GRAPH["fm_papers.loader"] | GRAPH["fm_papers.merge"]
    assert "fm_papers.cli.commands" in GRAPH["fm_papers.cli.app"]
    assert "fm_papers.loader" in GRAPH["fm_papers.cli.commands"]  # imported in a function
    assert "fm_papers.sphinxext.directive" in GRAPH["fm_papers.sphinxext"]
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycle() -> None:
    assert _cycles(GRAPH) == []


def test_the_read_path_never_imports_the_pipeline_or_the_command_line() -> None:
    """Loading, querying and rendering reach neither fm_papers.curation nor fm_papers.cli."""
    reached: set[str] = set()
    todo = ["fm_papers.loader", "fm_papers.catalogue", "fm_papers.formats", "fm_papers.built"]
    todo += [name for name in MODULES if name.startswith("fm_papers.sphinxext")]
    while todo:
        name = todo.pop()
        if name not in reached:
            reached.add(name)
            todo += GRAPH[name]
    assert not {n for n in reached if n.startswith(("fm_papers.curation", "fm_papers.cli"))}


def test_every_module_imports_on_its_own() -> None:
    """Each module imported first, in one interpreter whose package modules are forgotten
    between imports: an order-dependent import fails here."""
    code = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m.split('.')[0] == 'fm_papers']:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
    )
    # fm_papers.__main__ runs the command line when imported: what it imports, app does.
    names = [name for name in MODULES if name != "fm_papers.__main__"]
    result = subprocess.run(
        [sys.executable, "-c", code, *names], capture_output=True, text=True, check=False
    )
    assert (result.returncode, result.stderr) == (0, "")


def _defined_private_names(tree: ast.AST) -> set[str]:
    """The private names a module defines: functions, classes, variables, attributes it
    assigns (``self._x = ...``), annotated class fields and ``__slots__`` entries."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.add(node.value)  # __slots__ entries, names given to getattr()
    return {name for name in names if name.startswith("_") and not name.startswith("__")}


#: Private names of other libraries the package uses by their documented contract.
_ALLOWED = {
    "_asdict",  # NamedTuple's public API is spelt with an underscore
    "_replace",
    "_fields",
    "_repr_html_",  # the hook Jupyter calls
}


def _private_uses(name: str, source: str | None = None) -> list[str]:
    """``module:line: name`` for each private name ``name``'s source uses but does not define."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8") if source is None else source)
    own = _defined_private_names(tree)
    uses = []
    for node in ast.walk(tree):
        used: list[tuple[str, int]] = []
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            used = [(node.attr, node.lineno)]
        elif isinstance(node, ast.ImportFrom):
            used = [(alias.name, node.lineno) for alias in node.names]
        for private, line in used:
            if (
                private.startswith("_")
                and not private.startswith("__")
                and private not in own
                and private not in _ALLOWED
            ):
                uses.append(f"{name}:{line}: {private}")
    return uses


def test_private_names_are_found() -> None:
    source = (
        "from .catalogue import _sorted\n"
        "catalogue._entries\n"
        "self._own = 1\n"
        "self._own\n"
        "def _helper(): ...\n"
        "_helper()\n"
        "row._asdict()\n"
    )
    assert _private_uses("x", source) == ["x:1: _sorted", "x:2: _entries"]


@pytest.mark.parametrize("name", list(MODULES))
def test_no_module_reaches_into_another_modules_private_names(name: str) -> None:
    assert _private_uses(name) == []


@pytest.mark.parametrize("name", list(MODULES))
def test_modules_keep_to_a_readable_size(name: str) -> None:
    source = MODULES[name].read_text(encoding="utf-8")
    lines = source.count("\n")
    docstring = ast.get_docstring(ast.parse(source)) or ""
    assert lines <= MOST_LINES or "Long because" in docstring, f"{name}: {lines} lines"
