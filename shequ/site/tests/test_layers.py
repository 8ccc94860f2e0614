"""The shape of the house: every import runs down the layers, none is made by string, none goes round.

The layers, lowest first (``docs/architecture.md`` explains them). A module may import its own app and
the apps of lower layers, never an app above it. A new app takes its place in this table.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

LAYERS: list[tuple[str, ...]] = [
    ("core",),  # the ground floor: utilities that know no app
    ("orgs",),  # the org tree and the areas
    ("audit",),  # the append-only log and its writer
    ("accounts",),  # users, memberships, roles, the permission door, and the administration pages
    ("ledgers",),  # the ledger layer every line of work declares its ledgers to
    ("residents",),  # the lines of work, each above the ones it reads
    ("records",),
    ("plans",),
    ("cases",),
    ("portal",),
    ("surveys",),
    ("groups",),
    ("education",),
    ("letters",),
    ("documents",),
    ("care",),
    ("reports",),  # upward reports: pre-filled from the lines of work below
    ("assessment",),  # the year-end assessment: scored from the lines of work below
    ("dossier",),  # the annual dossier: every ledger, the assessment and the photos of an org's year in one zip
    ("site", "testing", "shequ"),  # the shell, the test kit and the project (settings, urls, api)
]
RANK = {app: rank for rank, apps in enumerate(LAYERS) for app in apps}

ROOT = Path(__file__).resolve().parents[3]
PACKAGE = ROOT / "shequ"
DYNAMIC = {"__import__", "import_module"}


def _module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _app(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and (PACKAGE / parts[1]).is_dir()) else "shequ"


def _is_test(path: Path) -> bool:
    return "tests" in path.relative_to(PACKAGE).parts


def _sources() -> dict[str, tuple[Path, ast.Module]]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts or "static" in path.parts:
            continue
        found[_module_name(path)] = (path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
    return found


SOURCES = _sources()
MODULES = set(SOURCES)


def _imports(module: str, path: Path, tree: ast.Module) -> list[tuple[int, str]]:
    """(line, module) of every import of a shequ module, at any depth (inside functions too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            # ``from shequ.x import y`` imports the module shequ.x.y when there is one.
            out.append((node.lineno, base))
            out += [(node.lineno, f"{base}.{alias.name}") for alias in node.names if f"{base}.{alias.name}" in MODULES]
    return [(line, name) for line, name in out if name == "shequ" or name.startswith("shequ.")]


def test_every_app_has_a_place_in_the_layers():
    unknown = sorted({_app(m) for m in MODULES} - set(RANK))
    assert not unknown, f"apps missing from LAYERS: {unknown}"


def test_no_import_runs_from_a_lower_layer_to_a_higher_one():
    upward = []
    for module, (path, tree) in SOURCES.items():
        if _is_test(path):
            continue  # tests may use any app's test helpers
        here = _app(module)
        for line, target in _imports(module, path, tree):
            there = _app(target)
            if RANK.get(there, -1) > RANK[here]:
                upward.append(f"{path.relative_to(ROOT)}:{line} {here} imports {target} ({there})")
    assert not upward, "imports from a lower layer into a higher one:\n" + "\n".join(upward)


def test_nothing_is_imported_by_string():
    dynamic = []
    for _module, (path, tree) in SOURCES.items():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in DYNAMIC:
                    dynamic.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}()")
    assert not dynamic, "imports by string:\n" + "\n".join(dynamic)


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0
    for start in sorted(edges):
        if start in index:
            continue
        work = [(start, iter(sorted(edges[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
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


def test_no_modules_import_each_other_round_a_loop():
    edges = {
        module: {target for _line, target in _imports(module, path, tree) if target in MODULES and target != module}
        for module, (path, tree) in SOURCES.items()
        if not _is_test(path)
    }
    edges = {module: {t for t in targets if t in edges} for module, targets in edges.items()}
    loops = _cycles(edges)
    assert not loops, "import loops:\n" + "\n".join(" <-> ".join(loop) for loop in loops)


@pytest.mark.parametrize(
    ("edges", "loops"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_loop_finder_finds_loops(edges, loops):
    assert _cycles(edges) == loops
