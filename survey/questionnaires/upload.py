"""A questionnaire file uploaded on the administration page, taken by its content.

The file may have any name: what it is comes from what it says. A survey has ``kind: survey``
and is checked as ``digital_culture.yaml``, a test ``kind: test`` as ``digital_skills_test.yaml``
(questionnaires/README.md). Any other definition file (competences, courses, the maturity
model…) is recognised by its top-level key and refused with its name: those are loaded with the
whole folder on the command line.

Each problem is reported with the uploaded file's name, the line of the file it is about (found
by walking the YAML node tree to the entry and field the problem names) and the reason, in the
reader's language (:func:`rows`)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import yaml

from .. import problems as base
from .messages import FIELD, KINDS
from .problems import ENTRY_KINDS, DefinitionError, Problem
from .schema import parse_file, read_text_yaml

# A questionnaire's ``kind`` → the file of questionnaires/ it is checked as.
BY_KIND = {"survey": "digital_culture.yaml", "test": "digital_skills_test.yaml"}
# A top-level key found only in one other definition file → that file.
OTHER_FILES = {"competences": "competences.yaml", "courses": "courses.yaml",
               "profiles": "role_profiles.yaml", "culture_subscores": "maturity_model.yaml",
               "methods": "expert_checklists.yaml"}
_LIST_OF_KIND = {kind: key for key, kind in ENTRY_KINDS.items()}
_STEP = re.compile(r"\[([^\]]*)\]|([^.\[]+)")


def identify(data: Any) -> tuple[str | None, str | None]:
    """(the questionnaire file ``data`` is, the other definition file it is): one is None."""
    if not isinstance(data, dict):
        return None, None
    kind = data.get("kind")
    if isinstance(kind, str) and kind in BY_KIND:
        return BY_KIND[kind], None
    other = next((file for key, file in OTHER_FILES.items() if key in data), None)
    return None, other


def read_upload(name: str, content: bytes) -> tuple[Any, str]:
    """The uploaded file's validated model and its text; DefinitionError with every problem
    (each naming ``name``, the uploaded file) when it is refused."""
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        raise DefinitionError([Problem.of(name, None, None, None, "not_utf8")]) from None
    data = read_text_yaml(name, text)
    spec, other = identify(data)
    if spec is None:
        code = "other_definition_file" if other else "not_a_questionnaire"
        raise DefinitionError([Problem.of(name, None, None, "kind" if not other else None,
                                          code, file=other or "")])
    try:
        return parse_file(spec, data), text
    except DefinitionError as error:
        raise DefinitionError([replace(p, file=name) for p in error.problems]) from None


def line_of(text: str, problem: Problem) -> int | None:
    """The line of ``text`` (1-based) where the entry and field ``problem`` names are; the
    nearest enclosing line found, or None when the text is not YAML."""
    try:
        node = yaml.compose(text)
    except yaml.YAMLError:
        return None
    if node is None:
        return None
    line = None
    steps: list[str] = []
    if problem.kind is not None:
        steps += [_LIST_OF_KIND.get(problem.kind, problem.kind), f"[{problem.id}]"]
    for match in _STEP.finditer(problem.field or ""):
        steps.append(f"[{match[1]}]" if match[1] is not None else match[2])
    for step in steps:
        found = _child(node, step)
        if found is None:
            break
        line, node = found
    return line


def _child(node: yaml.Node, step: str) -> tuple[int, yaml.Node] | None:
    if isinstance(node, yaml.MappingNode) and not step.startswith("["):
        for key, value in node.value:
            if key.value == step:
                return key.start_mark.line + 1, value
    if isinstance(node, yaml.SequenceNode) and step.startswith("["):
        name = step[1:-1]
        for index, entry in enumerate(node.value):
            if name == f"#{index + 1}" or _names(entry, name):
                return entry.start_mark.line + 1, entry
    return None


def _names(entry: yaml.Node, name: str) -> bool:
    if isinstance(entry, yaml.ScalarNode):
        return str(entry.value) == name
    if isinstance(entry, yaml.MappingNode):
        return any(key.value in ("id", "level", "value") and str(value.value) == name
                   for key, value in entry.value if isinstance(value, yaml.ScalarNode))
    return False


@dataclass(frozen=True)
class Row:
    """One problem as the upload page shows it, in the reader's language."""

    file: str
    line: int | None
    where: str
    what: str


def rows(found: list[Problem], text: str | None) -> list[Row]:
    """The problems of an uploaded file, each with its line, place and reason."""
    out = []
    for problem in found:
        where = []
        if problem.kind is not None:
            kind = KINDS.get(problem.kind)
            where.append(str(kind) % {"id": problem.id} if kind else f"{problem.kind} {problem.id}")
        if problem.field is not None:
            where.append(str(FIELD) % {"field": problem.field})
        what = base.render_all(problem.reasons) if problem.reasons else problem.message
        line = _reported_line(problem)
        if line is None and text is not None:
            line = line_of(text, problem)
        out.append(Row(problem.file, line, ", ".join(where), what))
    return out


def _reported_line(problem: Problem) -> int | None:
    """The line a YAML syntax error names itself."""
    for reason in problem.reasons:
        if reason.code == "yaml_invalid_at":
            return int(reason.values["line"])
    return None
