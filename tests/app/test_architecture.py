"""The layout keeps its arrows one way: views → domain → models and ``analysis/``.

Every ``survey`` module's imports are read with :mod:`ast` (relative ones resolved), mapped to
the top-level package or module of ``survey`` they name, and checked against the layers below.
No module grows past the size at which it stops being readable in one sitting.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SURVEY = ROOT / "survey"
MAX_LINES = 400

# Lower layers never import higher ones; blueprints never import each other.
FOUNDATION = {"extensions", "config", "database", "models", "tokens", "languages", "resources"}
DOMAIN = {"accounts", "questionnaires", "responses", "results", "campaigns", "assessments", "access",
          "exports", "i18n", "errors", "problems", "demo", "jobs", "templating", "security", "backup",
          "params", "pdf", "emails"}
BLUEPRINTS = {"respondent", "hr", "trainer", "admin", "auth", "core", "assessor"}
ENTRY = {"cli", ""}  # the factory (survey/__init__.py) and the command line wire everything
LAYER = {**{n: 0 for n in FOUNDATION}, **{n: 1 for n in DOMAIN},
         **{n: 2 for n in BLUEPRINTS}, **{n: 3 for n in ENTRY}}


def _module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path) -> set[str]:
    """Dotted names of the ``survey`` modules and names ``path`` imports."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[:len(package) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return {t for t in found if t == "survey" or t.startswith("survey.")}


def _part(dotted: str) -> str | None:
    """The top-level part of ``survey`` a dotted name is in, if it is a real module/package."""
    parts = dotted.split(".")
    if len(parts) < 2:
        return ""
    head = parts[1]
    if (SURVEY / head).is_dir() or (SURVEY / f"{head}.py").exists():
        return head
    return None


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for path in SURVEY.rglob("*.py"):
        source = _part(".".join(_module_name(path)))
        for target in _imports(path):
            part = _part(target)
            if part and part != source:
                graph[source or ""].add(part)
    return graph


def test_every_part_of_survey_has_a_layer():
    parts = {p.stem if p.is_file() else p.name for p in SURVEY.iterdir()
             if (p.is_dir() and (p / "__init__.py").exists()) or p.suffix == ".py"}
    parts.discard("__init__")
    assert parts - LAYER.keys() == set(), "add the new package to a layer in this test"


def test_imports_only_point_down_and_blueprints_never_import_each_other():
    wrong = []
    for source, targets in _graph().items():
        for target in targets:
            if LAYER[target] > LAYER[source]:
                wrong.append(f"{source} → {target} (upward)")
            elif LAYER[source] == 2 and LAYER[target] == 2:
                wrong.append(f"{source} → {target} (blueprint to blueprint)")
    assert wrong == []


def test_no_two_parts_of_survey_import_each_other_even_indirectly():
    graph = _graph()
    cycles = []

    def visit(node: str, path: list[str], seen: set[str]) -> None:
        for nxt in graph.get(node, ()):
            if nxt == path[0]:
                cycles.append(" → ".join([*path, nxt]))
            elif nxt not in seen:
                seen.add(nxt)
                visit(nxt, [*path, nxt], seen)

    for start in graph:
        if start:
            visit(start, [start], {start})
    assert cycles == []


@pytest.mark.parametrize("folder", ["survey", "analysis"])
def test_no_module_is_longer_than_four_hundred_lines(folder):
    long = {str(p.relative_to(ROOT)): n for p in (ROOT / folder).rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}
