"""The marker of a cell withheld because its group has fewer than k respondents.

Tables keep it instead of a number; pages say "hidden", exports say why
(:func:`survey.exports.hidden_word`)."""

from __future__ import annotations


class _Hidden:
    """A cell withheld because its group has fewer than k respondents."""

    def __repr__(self) -> str:
        return "HIDDEN"


HIDDEN = _Hidden()


def is_hidden(value: object) -> bool:
    """Whether a cell is withheld."""
    return value is HIDDEN
