"""The package layout's rules (docs/architecture.md), held by reading every module's imports.

Imports run one way, from the top down:

    dashboard, app.py          the page
    model.cli, model.__main__  the command line
    model.experiments          sweeps and their sensitivity analysis
    model.validation           the evidence checks and their statistics
    model.plots                figures (the palette imports no pyplot)
    model (core), scenarios    the simulation and its presets

A module may import its own layer or any layer below it, never one above, and no two modules may
import each other, directly or through others. Imports inside functions count too: they are
still arrows. Only imports under `if TYPE_CHECKING:` are left out of the cycle check (they never
run), though not out of the direction check.
"""

from __future__ import annotations

import ast
import shutil
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("model", "dashboard", "scenarios", "app.py")
LAYERS = (  # (prefix, rank): the longest matching prefix decides
    ("scenarios", 0), ("model", 0), ("model.plots", 1), ("model.validation", 2),
    ("model.experiments", 3), ("model.cli", 4), ("model.__main__", 4), ("dashboard", 5),
    ("app", 5),
)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def rank(module: str) -> int | None:
    found = [(len(prefix), r) for prefix, r in LAYERS
             if module == prefix or module.startswith(prefix + ".")]
    return max(found)[1] if found else None


def _type_checking_lines(tree: ast.AST) -> set[int]:
    lines = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for inner in node.body:
                lines.update(range(inner.lineno, (inner.end_lineno or inner.lineno) + 1))
    return lines


def _targets(node: ast.AST, module: str, is_package: bool, known: set[str]) -> list[str]:
    """The project modules an import statement reaches (a package's name if not a module)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    assert isinstance(node, ast.ImportFrom)
    if node.level:
        base = module.split(".") if is_package else module.split(".")[:-1]
        base = base[:len(base) - node.level + 1]
        stem = ".".join(base + ([node.module] if node.module else []))
    else:
        stem = node.module or ""
    names = [f"{stem}.{alias.name}" for alias in node.names]
    return [n for n in names if n in known] or [stem]


def import_graph(root: Path) -> dict[str, dict[str, bool]]:
    """{module: {imported project module: only under TYPE_CHECKING}} for every source file."""
    files = []
    for source in SOURCES:
        path = root / source
        files += [path] if path.is_file() else sorted(path.rglob("*.py"))
    known = {module_name(f, root) for f in files}
    graph: dict[str, dict[str, bool]] = {}
    for file in files:
        module = module_name(file, root)
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
        typing_only = _type_checking_lines(tree)
        edges = graph.setdefault(module, {})
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for target in _targets(node, module, file.name == "__init__.py", known):
                while target and target not in known:  # `import model.x.y` names a package
                    target = target.rpartition(".")[0]
                if target and target != module:
                    edges[target] = edges.get(target, True) and node.lineno in typing_only
    return graph


def upward_arrows(graph: dict[str, dict[str, bool]]) -> list[str]:
    return sorted(f"{source} -> {target}" for source, edges in graph.items() for target in edges
                  if rank(target) is not None and rank(source) is not None
                  and rank(target) > rank(source))


def cycles(graph: dict[str, dict[str, bool]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan), runtime imports only."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target, typing_only in graph.get(node, {}).items():
            if typing_only:
                continue
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_imports_run_one_way():
    assert upward_arrows(import_graph(ROOT)) == []


def test_no_module_imports_itself_through_others():
    assert cycles(import_graph(ROOT)) == []


def test_every_module_has_a_layer():
    assert [m for m in import_graph(ROOT) if rank(m) is None] == []


@pytest.fixture
def source_copy(tmp_path) -> Path:
    for source in SOURCES:
        path = ROOT / source
        if path.is_file():
            shutil.copy(path, tmp_path / source)
        else:
            shutil.copytree(path, tmp_path / source, ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_an_arrow_back_up_is_caught(source_copy):
    with open(source_copy / "model" / "dynamics.py", "a", encoding="utf-8") as file:
        file.write("\n\ndef _late():\n    from .experiments import design  # noqa\n")
    assert upward_arrows(import_graph(source_copy)) == [
        "model.dynamics -> model.experiments.design"]


def test_a_cycle_is_caught(source_copy):
    with open(source_copy / "model" / "dynamics.py", "a", encoding="utf-8") as file:
        file.write("\nfrom . import agents  # noqa\n")
    assert ["model.agents", "model.dynamics"] in [
        [m for m in group if m in ("model.agents", "model.dynamics")] for group in cycles(
            import_graph(source_copy))]


def test_every_package_is_installed():
    """A package left out of pyproject's list would be missing from a wheel, not from a clone."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"])
    on_disk = {module_name(init, ROOT) for source in ("model", "dashboard", "scenarios")
               for init in (ROOT / source).rglob("__init__.py")}
    assert on_disk - listed == set()


def test_the_model_draws_only_from_model_random():
    """A run's draws come from one generator, Mesa's `model.random`: a draw from numpy's
    `model.rng` beside it would still be seeded, but would make a second stream whose
    interleaving no one reviews, and costs seven times as much per number. The model's own
    modules (not `experiments` or `validation`, whose numpy generators design sweeps and
    resample statistics) must not name `rng` as an attribute."""
    found = []
    for path in sorted((ROOT / "model").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr == "rng":
                found.append(f"{path.name}:{node.lineno}")
    assert not found, found
