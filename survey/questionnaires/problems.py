"""Problems found in questionnaire files, in words a person editing the YAML understands.

Every problem names the file, the entry it is about (``item sc-03``, ``profile leadership``)
and the field, so that the author can go straight to the line to fix. Pydantic's validation
errors are translated into the same form by :func:`problems_from_validation_error`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from .texts import PATTERN_MEANINGS

# Top-level lists whose entries are named in messages, and the word used for one entry.
ENTRY_KINDS = {
    "competences": "competence",
    "scales": "scale",
    "items": "item",
    "response_scale": "response option",
    "profiles": "profile",
    "courses": "course",
    "levels": "level",
    "dimensions": "dimension",
    "culture_subscores": "sub-score",
}
# The key that names an entry: its id, or the number of a level band or a response option.
_NAMING_KEYS = ("id", "level", "value")


@dataclass(frozen=True)
class Problem:
    """One thing wrong in one file.

    ``kind`` and ``id`` name the entry (``item``, ``sc-03``); both are None for a problem with
    the file as a whole. ``field`` is a dotted path inside the entry, or None.
    """

    file: str
    kind: str | None
    id: str | None
    field: str | None
    message: str

    def __str__(self) -> str:
        parts = [self.file]
        if self.kind is not None:
            parts.append(f"{self.kind} {self.id}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return ": ".join(parts)


class DefinitionError(Exception):
    """Raised when one or more files are refused; ``problems`` lists every reason."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


def entry_name(entry: Any, index: int) -> str:
    """The name of a list entry in messages: its id, else its position (``#3``)."""
    if isinstance(entry, dict):
        for key in _NAMING_KEYS:
            value = entry.get(key)
            if isinstance(value, str | int) and not isinstance(value, bool):
                return str(value)
    return f"#{index + 1}"


def problems_from_validation_error(file: str, raw: Any, error: ValidationError) -> list[Problem]:
    """Translate pydantic's errors about ``raw`` (the file's parsed YAML) into problems."""
    problems = []
    for detail in error.errors(include_url=False):
        kind, ident, field = _locate(raw, detail["loc"])
        problems.append(Problem(file, kind, ident, field, _message(detail)))
    return problems


def _locate(raw: Any, loc: tuple[Any, ...]) -> tuple[str | None, str | None, str | None]:
    """Split an error location into the entry it is about and the field inside it."""
    kind = ident = None
    node = raw
    rest = list(loc)
    if len(rest) >= 2 and rest[0] in ENTRY_KINDS and isinstance(rest[1], int):
        entries = raw.get(rest[0]) if isinstance(raw, dict) else None
        node = _child(entries, rest[1])
        kind, ident = ENTRY_KINDS[rest[0]], entry_name(node, rest[1])
        rest = rest[2:]
    path = ""
    for step in rest:
        if step == "[key]":
            continue
        if isinstance(step, int) and isinstance(node, list):
            node = _child(node, step)
            path += f"[{entry_name(node, step)}]"
            continue
        node = node.get(step) if isinstance(node, dict) else None
        path += f".{step}" if path else str(step)
    return kind, ident, path or None


def _child(node: Any, index: int) -> Any:
    if isinstance(node, list) and 0 <= index < len(node):
        return node[index]
    return None


_SIMPLE_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field; see questionnaires/README.md for the format",
    "string_type": "must be text",
    "int_type": "must be a whole number",
    "int_parsing": "must be a whole number",
    "int_from_float": "must be a whole number",
    "float_type": "must be a number",
    "float_parsing": "must be a number",
    "bool_type": "must be true or false",
    "bool_parsing": "must be true or false",
    "list_type": "must be a list",
    "dict_type": "must be a mapping",
    "model_type": "must be a mapping",
    "model_attributes_type": "must be a mapping",
}


def _message(detail: Any) -> str:
    """The plain-English message for one pydantic error."""
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    key_prefix = "key " if detail["loc"] and detail["loc"][-1] == "[key]" else ""
    if kind in _SIMPLE_MESSAGES:
        return key_prefix + _SIMPLE_MESSAGES[kind]
    if kind == "string_pattern_mismatch":
        meaning = PATTERN_MEANINGS.get(ctx.get("pattern"), f"must match {ctx.get('pattern')}")
        return f"{meaning}, not {_show(detail['input'])}"
    if kind == "literal_error":
        return f"must be one of {ctx['expected']}, not {_show(detail['input'])}"
    if kind == "too_short":
        return f"needs at least {ctx['min_length']} entries"
    if kind == "too_long":
        return f"may have at most {ctx['max_length']} entries"
    if kind == "greater_than":
        return f"must be greater than {ctx['gt']}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx['ge']}"
    if kind == "less_than_equal":
        return f"must be at most {ctx['le']}"
    if kind == "less_than":
        return f"must be less than {ctx['lt']}"
    # Our own checks (PydanticCustomError) already speak plainly.
    return key_prefix + detail["msg"]


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
