"""One error convention: a refusal is a list of problems, each a code with parameters and the
place it is about; words are chosen only where it is shown, in the reader's language.

A :class:`Message` is a code of its class's ``catalogue`` (lazy gettext messages) with
parameters; each domain subclasses it with its own catalogue (questionnaire files, staff lists
and campaigns, admin forms, staff accounts). :func:`render` — the one renderer — says it in the
current locale; ``str()`` says it in English, as the command line prints it. A :class:`Problem`
adds where: the form field or column (``where``) and the spreadsheet row (``row``). An operation
that refuses its input raises :class:`Refused` (or a domain's subclass of it) with every
problem, and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from flask_babel import force_locale, get_locale


class Refused(ValueError):
    """The input was refused as a whole; ``problems`` lists every reason; nothing was written.
    Its own text is the problems in English, for logs and the command line."""

    def __init__(self, problems: Iterable[Message]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass(frozen=True)
class Message:
    """A code of :attr:`catalogue` with its parameters.

    A parameter may be a message itself (rendered in the same language) or a lazy label (a
    status, a sector), said in the reader's language too. ``text``, when set, is a library's
    own English wording, shown to English readers instead of the code's general sentence.
    ``params`` may be given as a mapping; it is kept as a tuple of pairs (hashable).
    """

    code: str
    params: tuple[tuple[str, Any], ...] = ()
    text: str | None = None

    catalogue: ClassVar[Mapping[str, Any]] = {}

    def __post_init__(self) -> None:
        if isinstance(self.params, Mapping):
            object.__setattr__(self, "params", tuple(self.params.items()))
        if self.code not in self.catalogue:
            raise KeyError(f"no message {self.code!r} in {type(self).__qualname__}.catalogue")

    @classmethod
    def of(cls, code: str, text: str | None = None, /, **params: Any) -> Message:
        """The message ``code`` with ``params`` (and a library's English ``text``)."""
        return cls(code, tuple(params.items()), text)

    @property
    def values(self) -> dict[str, Any]:
        """The parameters as a dict, unrendered."""
        return dict(self.params)

    def __str__(self) -> str:
        return english([self])


@dataclass(frozen=True)
class Problem(Message):
    """A message about one place of the input: ``where`` is the form field or column it is
    about, ``row`` the row number as a spreadsheet shows it (the header is row 1)."""

    where: str | None = None
    row: int | None = None

    # The exception a domain raises with its problems.
    refusal: ClassVar[type[Refused]] = Refused

    @classmethod
    def refuse(cls, code: str, /, where: str | None = None, **params: Any) -> Refused:
        """A refusal with this one problem, to ``raise``."""
        return cls.refusal([cls(code, tuple(params.items()), where=where)])


def render(message: Message) -> str:
    """``message`` in the current locale."""
    if message.text is not None and _reader_is_english():
        return message.text
    values = {name: render(value) if isinstance(value, Message) else
              value if isinstance(value, int | float) else str(value)
              for name, value in message.params}
    return str(type(message).catalogue[message.code]) % values


def render_all(messages: Iterable[Message]) -> str:
    """Several messages in the current locale, joined by semicolons."""
    return "; ".join(render(message) for message in messages)


def english(messages: Iterable[Message]) -> str:
    """The messages in English, as the command line prints them."""
    with force_locale("en"):
        return render_all(messages)


def _reader_is_english() -> bool:
    locale = get_locale()  # None outside a request or app context: gettext is English there
    return locale is None or locale.language == "en"
