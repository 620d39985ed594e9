"""The import graph of ``src/areo`` follows the layer map (DESIGN.md, docs/design.md).

Three rules, read from the source with :mod:`ast` (imports inside functions count too):

(a) imports only point down the layers of :data:`LAYERS`, or down the order of the packages
    inside one layer, or stay inside their package, or go to the :data:`SHARED` modules
    (which import only each other); ``from areo import __version__`` is allowed anywhere;
(b) no module imports a private name or a private module of another package, nor reaches
    into one through an attribute (``obj._name`` where ``_name`` is defined in another
    package and not in its own: a heuristic, since the object's type is unknown);
    ``areo._files`` and the other private top-level modules are shared infrastructure;
(c) no modules import each other in a loop, directly or through others. Function-level
    imports count (a lazy import hides a loop from Python, not from the design); imports
    under ``if TYPE_CHECKING:`` do not, as they never run.

Known violations live in :data:`KNOWN_VIOLATIONS` with the reason and the fix each needs.
The test fails on a new violation and on a listed one that is gone, so the list only
shrinks. ``python tests/test_layers.py`` prints every finding ('!' for the unlisted ones).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "areo"

#: Layers from top to bottom (DESIGN.md "Layers"), ``data`` the lowest. Inside a layer the
#: packages are listed top to bottom too: a package may import those after it in its own layer
#: (``surface`` plans relay passes, ``ephem`` reads times, frames and body names) but not those
#: before it, which keeps sideways imports from forming loops. ``io`` reads and writes files
#: of the foundation's types (epochs as :class:`areo.time.Time`), so it sits in the foundation
#: above ``time``; ``catalog`` (plain records with their sources) is the data layer.
LAYERS: list[tuple[str, list[str]]] = [
    ("entry", ["areo", "__main__"]),  # the package facade and ``python -m areo``
    ("interfaces", ["cli", "report", "web"]),
    ("workflows", ["sweep", "mission"]),  # a sweep runs missions
    ("planning", ["edl", "surface", "relay"]),
    ("geometry", ["events"]),
    ("dynamics", ["transfer", "orbits"]),
    ("foundation", ["ephem", "frames", "io", "bodies", "time"]),
    ("data", ["catalog"]),
]

#: Modules every layer may import (and which import only each other).
SHARED = {"errors", "constants", "validate", "_files", "_output", "_numba", "_search",
          "_batch"}

#: Findings accepted for now, each with why it exists and what removes it. Every entry must
#: still occur (else delete it) and nothing outside this set may occur.
KNOWN_VIOLATIONS: set[str] = set()


# ----------------------------------------------------------------------------- scanning
@dataclass
class Module:
    name: str  # areo.pkg.mod
    path: Path
    tree: ast.Module
    is_package: bool
    imports: list[Import] = field(default_factory=list)


@dataclass(frozen=True)
class Import:
    target: str  # the module imported from (a submodule when one is named)
    line: int
    name: str | None  # the name imported from ``target``, None for a module
    typing_only: bool  # under ``if TYPE_CHECKING:``


def package_of(module: str) -> str:
    """Top-level part under ``areo``: 'areo.events.passes' -> 'events'."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def _rank() -> dict[str, tuple[int, int]]:
    """(layer, position inside the layer) of each package; smaller is higher."""
    return {pkg: (i, j) for i, (_, pkgs) in enumerate(LAYERS) for j, pkg in enumerate(pkgs)}


def load_modules(src: Path = SRC) -> dict[str, Module]:
    mods: dict[str, Module] = {}
    for path in sorted(src.rglob("*.py")):
        rel = path.relative_to(src.parent).with_suffix("")
        parts = list(rel.parts)
        is_pkg = parts[-1] == "__init__"
        if is_pkg:
            parts = parts[:-1]
        name = ".".join(parts)
        mods[name] = Module(name, path, ast.parse(path.read_text(), str(path)), is_pkg)
    for m in mods.values():
        m.imports = list(_imports(m, mods))
    return mods


def _resolve_from(m: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = m.name.split(".")
    if not m.is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _typing_blocks(tree: ast.Module) -> set[int]:
    """ids of the statements under ``if TYPE_CHECKING:`` (never executed)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out.update(id(n) for stmt in node.body for n in ast.walk(stmt))
    return out


def _imports(m: Module, mods: dict[str, Module]):
    typing = _typing_blocks(m.tree)
    for node in ast.walk(m.tree):
        only = id(node) in typing
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "areo" or a.name.startswith("areo."):
                    yield Import(a.name, node.lineno, None, only)
        elif isinstance(node, ast.ImportFrom):
            target = _resolve_from(m, node)
            if not (target == "areo" or target.startswith("areo.")):
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                if sub in mods:  # ``from areo.pkg import module``
                    yield Import(sub, node.lineno, None, only)
                else:
                    yield Import(target, node.lineno, a.name, only)


# ----------------------------------------------------------------------------- rule (a)
def layer_violations(mods: dict[str, Module]) -> set[str]:
    rank = _rank()
    out = set()
    for m in mods.values():
        src = package_of(m.name)
        for imp in m.imports:
            dst = package_of(imp.target)
            if dst == src or dst in SHARED:
                continue
            if dst == "areo" and imp.name is not None and imp.name.startswith("__"):
                continue  # ``from areo import __version__``: metadata, loaded first anyway
            where = f"{m.name} -> {imp.target}"
            if src in SHARED:
                out.add(f"layer: shared {where}")
            elif src not in rank or dst not in rank:
                out.add(f"layer: unmapped {where}")
            elif rank[dst][0] < rank[src][0]:
                out.add(f"layer: up {where}")
            elif rank[dst] < rank[src]:
                out.add(f"layer: sideways {where}")
    return out


# ----------------------------------------------------------------------------- rule (b)
def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _shared_private(module: str) -> bool:
    return package_of(module) in SHARED


def _definitions(mods: dict[str, Module]) -> dict[str, set[str]]:
    """Private names each package defines (functions, classes, assignments, attributes)."""
    defs: dict[str, set[str]] = {}
    for m in mods.values():
        names = defs.setdefault(package_of(m.name), set())
        for node in ast.walk(m.tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
            elif isinstance(node, ast.arg):
                names.add(node.arg)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
    return defs


def private_violations(mods: dict[str, Module]) -> set[str]:
    defs = _definitions(mods)
    out = set()
    for m in mods.values():
        src = package_of(m.name)
        for imp in m.imports:
            target, name = imp.target, imp.name
            if package_of(target) == src or _shared_private(target):
                continue
            private_mod = any(_private(p) for p in target.split(".")[1:])
            if private_mod or (name is not None and _private(name)):
                shown = f"{target}.{name}" if name else target
                out.add(f"private: {m.name} imports {shown}")
        own = defs.get(src, set())
        for node in ast.walk(m.tree):
            if not (isinstance(node, ast.Attribute) and _private(node.attr)):
                continue
            if isinstance(node.value, ast.Name) and node.value.id in {"self", "cls"}:
                continue
            if node.attr in own:
                continue
            owners = sorted(p for p, names in defs.items()
                            if p != src and p not in SHARED and node.attr in names)
            if owners:
                out.add(f"private: {m.name} uses .{node.attr} of {'/'.join(owners)}")
    return out


# ----------------------------------------------------------------------------- rule (c)
def import_graph(mods: dict[str, Module]) -> dict[str, set[str]]:
    """Module -> modules it imports when it runs (``TYPE_CHECKING`` imports never run)."""
    graph: dict[str, set[str]] = {name: set() for name in mods}
    for m in mods.values():
        for imp in m.imports:
            if imp.target in mods and imp.target != m.name and not imp.typing_only:
                graph[m.name].add(imp.target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = 0

    def visit(v: str) -> None:
        nonlocal counter
        # iterative Tarjan: the graph is small but recursion depth is not guaranteed
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter
        counter += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            for w in it:
                if w not in index:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on.add(w)
                    work.append((w, iter(sorted(graph[w]))))
                    break
                if w in on:
                    low[node] = min(low[node], index[w])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(out)


def _path(graph: dict[str, set[str]], members: set[str], a: str, b: str) -> list[str]:
    """A shortest path a -> ... -> b inside ``members`` (breadth-first)."""
    prev: dict[str, str] = {a: a}
    queue = [a]
    while queue:
        v = queue.pop(0)
        if v == b:
            break
        for w in sorted(graph[v] & members):
            if w not in prev:
                prev[w] = v
                queue.append(w)
    path = [b]
    while path[-1] != a:
        path.append(prev[path[-1]])
    return path[::-1]


def cycle_violations(mods: dict[str, Module]) -> set[str]:
    """One finding per loop of modules: its members and the shortest loop through the first."""
    graph = import_graph(mods)
    out = set()
    for comp in cycles(graph):
        members = set(comp)
        first = comp[0]
        loops = [_path(graph, members, b, first) for b in sorted(graph[first] & members)]
        loop = min(loops, key=len)
        others = sorted(members - set(loop))
        more = f" (also through {', '.join(others)})" if others else ""
        out.add(f"cycle: {first} -> {' -> '.join(loop)}{more}")
    return out


def all_violations(mods: dict[str, Module] | None = None) -> set[str]:
    mods = load_modules() if mods is None else mods
    return layer_violations(mods) | private_violations(mods) | cycle_violations(mods)


# ----------------------------------------------------------------------------- tests
def test_no_new_violations():
    new = all_violations() - KNOWN_VIOLATIONS
    assert not new, "new layer violations:\n  " + "\n  ".join(sorted(new))


def test_known_violations_still_exist():
    gone = KNOWN_VIOLATIONS - all_violations()
    assert not gone, ("fixed, delete from KNOWN_VIOLATIONS:\n  " + "\n  ".join(sorted(gone)))


if __name__ == "__main__":
    for line in sorted(all_violations()):
        print(("  " if line in KNOWN_VIOLATIONS else "! ") + line)


# ----------------------------------------------------------------------------- the checker
def _tree(root: Path, files: dict[str, str]) -> dict[str, Module]:
    for rel, text in files.items():
        path = root / "areo" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return load_modules(root / "areo")


def test_checker_finds_each_kind_of_violation(tmp_path):
    mods = _tree(tmp_path, {
        "__init__.py": "__version__ = '0'\n",
        "errors.py": "",
        "_files.py": "from areo import __version__\n",
        "time/__init__.py": "def f():\n    from areo.events import passes\n",
        "catalog/__init__.py": "def g():\n    from areo.catalog.orbits import h\n",
        "catalog/orbits.py": "from areo.catalog import g\ndef h(): pass\n",
        "events/__init__.py": "",
        "events/passes.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                             "    from areo.events.finder import F\n"
                             "class _Geometry:\n    _secret = 1\n"),
        "events/finder.py": "from areo.events import passes\nfrom areo._files import x\n",
        "relay/__init__.py": "",
        "relay/link.py": ("from areo.events.passes import _Geometry\nimport areo.surface\n"
                          "def k(o):\n    return o._secret\n"),
        "surface/__init__.py": "from areo.relay import link\nfrom areo.errors import E\n",
        "mission/__init__.py": "def m():\n    from areo.report import r\n",
        "report/__init__.py": "from areo.mission import m\ndef r(): pass\n",
        "zzz/__init__.py": "from areo.time import f\n",
    })
    assert all_violations(mods) == {
        "layer: up areo.time -> areo.events.passes",
        "layer: up areo.mission -> areo.report",
        "layer: sideways areo.relay.link -> areo.surface",
        "layer: unmapped areo.zzz -> areo.time",
        "private: areo.relay.link imports areo.events.passes._Geometry",
        "private: areo.relay.link uses ._secret of events",
        "cycle: areo.catalog -> areo.catalog.orbits -> areo.catalog",
        "cycle: areo.mission -> areo.report -> areo.mission",
        "cycle: areo.relay.link -> areo.surface -> areo.relay.link",
    }
