"""Problems found in questionnaire files, in words a person editing the YAML understands.

Every problem names the file, the entry it is about (``item sc-03``, ``profile leadership``)
and the field, so that the author can go straight to the line to fix. Pydantic's validation
errors are translated into the same form by :func:`problems_from_validation_error`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from ..problems import Refused, english
from .messages import Message
from .texts import PATTERN_CODES

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
    the file as a whole. ``field`` is a dotted path inside the entry, or None. ``reasons`` are
    the messages (codes with parameters) that ``message`` says in English; a page renders them
    in its own language with :func:`survey.questionnaires.messages.describe`.
    """

    file: str
    kind: str | None
    id: str | None
    field: str | None
    message: str
    reasons: tuple[Message, ...] = ()

    @classmethod
    def of(
        cls, file: str, kind: str | None, ident: str | None, field: str | None, code: str, /,
        **params: Any,
    ) -> Problem:
        """A problem whose reason is the message ``code`` with ``params``."""
        return cls.because(file, kind, ident, field, Message.of(code, **params))

    @classmethod
    def because(
        cls, file: str, kind: str | None, ident: str | None, field: str | None, *reasons: Message
    ) -> Problem:
        """A problem with these reasons (joined by semicolons)."""
        return cls(file, kind, ident, field, english(reasons), reasons)

    def __str__(self) -> str:
        parts = [self.file]
        if self.kind is not None:
            parts.append(f"{self.kind} {self.id}")
        if self.field is not None:
            parts.append(f"field {self.field}")
        parts.append(self.message)
        return ": ".join(parts)


class DefinitionError(Refused):
    """Raised when one or more files are refused; ``problems`` lists every reason."""


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
        problems.append(Problem.because(file, kind, ident, field, *_messages(detail)))
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
    "missing": "missing",
    "extra_forbidden": "extra_forbidden",
    "string_type": "must_be_text",
    "int_type": "must_be_whole_number",
    "int_parsing": "must_be_whole_number",
    "int_from_float": "must_be_whole_number",
    "float_type": "must_be_number",
    "float_parsing": "must_be_number",
    "bool_type": "must_be_true_or_false",
    "bool_parsing": "must_be_true_or_false",
    "list_type": "must_be_list",
    "dict_type": "must_be_mapping",
    "model_type": "must_be_mapping",
    "model_attributes_type": "must_be_mapping",
}
# Pydantic's limits: error type → (message, the context key holding the limit).
_LIMITS = {
    "too_short": ("too_short", "min_length"),
    "too_long": ("too_long", "max_length"),
    "greater_than": ("greater_than", "gt"),
    "greater_than_equal": ("at_least", "ge"),
    "less_than_equal": ("at_most", "le"),
    "less_than": ("less_than", "lt"),
}
# Our own PydanticCustomError types whose context holds the message's parameters ("level" and
# "text" are handled apart: their context names differ or hold several reasons).
_CUSTOM = {"one_line": "not_one_line", "reverse_on_test_item": "reverse_on_test_item"}


def _messages(detail: Any) -> tuple[Message, ...]:
    """The reasons for one pydantic error (English: the text of ``message``)."""
    kind = detail["type"]
    ctx = detail.get("ctx") or {}
    if kind == "string_pattern_mismatch":
        value = _show(detail["input"])
        code = PATTERN_CODES.get(ctx.get("pattern"))
        if code is None:
            return (Message.of("pattern", pattern=ctx.get("pattern"), value=value),)
        return (Message.of(code, value=value),)
    if kind == "literal_error":
        expected = _alternatives(ctx["expected"])
        return (Message.of("one_of", expected=expected, value=_show(detail["input"])),)
    if kind in _LIMITS:
        code, key = _LIMITS[kind]
        return (Message.of(code, count=ctx[key]) if code.startswith("too_")
                else Message.of(code, limit=ctx[key]),)
    if kind == "text" and ctx.get("reasons"):
        return tuple(ctx["reasons"])
    if kind in _SIMPLE_MESSAGES:
        message = Message.of(_SIMPLE_MESSAGES[kind])
    elif kind == "level":
        message = Message.of("level_outside", level=ctx["value"])
    elif kind in _CUSTOM:
        message = Message.of(_CUSTOM[kind], **ctx)
    else:
        # Anything unforeseen: pydantic's own words for English readers, a general sentence
        # in the other languages.
        message = Message.of("invalid_value", detail["msg"])
    if detail["loc"] and detail["loc"][-1] == "[key]":
        return (Message.of("key_problem", problem=message),)
    return (message,)


def _alternatives(expected: str) -> Message | str:
    """Pydantic's ``'a', 'b' or 'c'`` with the "or" translated."""
    first, separator, last = expected.rpartition(" or ")
    if not separator:
        return expected
    return Message.of("alternatives", first=first, last=last)


def yaml_reason(reason: str) -> Message:
    """PyYAML's reason for refusing a file, kept word for word for English readers; the common
    ones have a message of their own in the other languages, any other a general sentence."""
    duplicate = re.fullmatch(r'duplicate key "(.*)"', reason, re.DOTALL)  # from schema's loader
    if duplicate:
        return Message.of("yaml_duplicate_key", key=duplicate[1])
    if reason.startswith("mapping values are not allowed"):
        return Message.of("yaml_mapping_values", reason)
    if re.fullmatch(r"found character (.+ )?that cannot start any token", reason):
        return Message.of("yaml_bad_character", reason)
    return Message.of("yaml_syntax", reason)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)
