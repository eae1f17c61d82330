"""Trilingual texts and the small value types every questionnaire file shares.

A text a person reads is a mapping ``{kk: …, ru: …, en: …}``. The checks here catch the usual
slips of translation work: a language left out, an empty text, a text copied from English and
never translated, Latin look-alike letters inside a Cyrillic word, Russian pasted in for Kazakh.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, model_validator
from pydantic_core import PydanticCustomError

from ..i18n import LANGUAGE_CODES
from ..problems import english
from .messages import Message

KAZAKH_LETTERS = "әғқңөұүһі"
# A Kazakh sentence practically always has one of the letters above; a long "Kazakh" text
# without any is almost surely Russian pasted in its place.
_KAZAKH_CHECK_MIN_LETTERS = 25

_WORD = re.compile(r"[^\W\d_]+")
_LATIN = re.compile(r"[A-Za-z]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")

ID_PATTERN = r"^[a-z][a-z0-9_-]*$"
OPTION_ID_PATTERN = r"^[a-z]$"
SOURCE_PATTERN = r"^(test|scale:[a-z][a-z0-9_-]*)$"
# The message (in messages.py) saying what a value that does not match a pattern should be.
PATTERN_CODES = {
    ID_PATTERN: "id_pattern",
    OPTION_ID_PATTERN: "option_id_pattern",
    SOURCE_PATTERN: "source_pattern",
}


class Model(BaseModel):
    """Base of every file model: native YAML types only, no unknown fields."""

    model_config = ConfigDict(strict=True, extra="forbid")


def text_problems(value: Any) -> list[Message]:
    """Everything wrong with one trilingual text, as messages (empty if it is fine)."""
    if not isinstance(value, dict):
        return [Message.of("text_not_mapping")]
    messages = []
    unknown = [str(key) for key in value if key not in LANGUAGE_CODES]
    if unknown:
        listed = ", ".join(f'"{key}"' for key in unknown)
        messages.append(Message.of("unknown_language", languages=listed))
    missing = [lang for lang in LANGUAGE_CODES if lang not in value]
    if missing:
        code = "missing_language" if len(missing) == 1 else "missing_languages"
        messages.append(Message.of(code, languages=", ".join(missing)))
    for lang in LANGUAGE_CODES:
        if lang not in value:
            continue
        text = value[lang]
        if not isinstance(text, str):
            messages.append(Message.of("text_not_text", lang=lang))
        elif not text.strip():
            messages.append(Message.of("empty_text", lang=lang))
    if messages:
        return messages
    english_text = _normalised(value["en"])
    for lang in LANGUAGE_CODES:
        if lang == "en":
            continue
        if _normalised(value[lang]) == english_text:
            messages.append(Message.of("same_as_english", lang=lang))
            continue
        mixed = [word for word in _WORD.findall(value[lang]) if _is_mixed(word)]
        if mixed:
            messages.append(Message.of("mixed_letters", lang=lang, word=mixed[0]))
    kazakh = value["kk"]
    cyrillic_letters = len(_CYRILLIC.findall(kazakh))
    if cyrillic_letters >= _KAZAKH_CHECK_MIN_LETTERS and not any(
        letter in kazakh.lower() for letter in KAZAKH_LETTERS
    ):
        messages.append(Message.of("no_kazakh_letters"))
    return messages


def _normalised(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_mixed(word: str) -> bool:
    return bool(_LATIN.search(word)) and bool(_CYRILLIC.search(word))


class Text(Model):
    """A text in Kazakh, Russian and English."""

    kk: str
    ru: str
    en: str

    @model_validator(mode="before")
    @classmethod
    def _check_languages(cls, value: Any) -> Any:
        messages = text_problems(value)
        if messages:
            context = {"message": english(messages), "reasons": tuple(messages)}
            raise PydanticCustomError("text", "{message}", context)
        return value

    def get(self, language: str) -> str:
        """The text in ``language`` (kk, ru or en)."""
        return getattr(self, language)


class OneLineText(Text):
    """A text that must fit on one line in every language (a rationale, a label)."""

    @model_validator(mode="after")
    def _check_one_line(self) -> OneLineText:
        for lang in LANGUAGE_CODES:
            if "\n" in self.get(lang).strip():
                raise PydanticCustomError(
                    "one_line", "the {lang} text must be one line", {"lang": lang}
                )
        return self


def _check_level(value: int) -> int:
    if not 1 <= value <= 5:
        raise PydanticCustomError("level", "level {value} is outside 1–5", {"value": value})
    return value


Id = Annotated[str, StringConstraints(pattern=ID_PATTERN)]
Level = Annotated[int, AfterValidator(_check_level)]
