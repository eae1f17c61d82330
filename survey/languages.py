"""The product's three languages and :func:`pick`, below every other part of ``survey``.

The models need both (CHECK constraints, localized names), and they may import nothing above
them, so the list and ``pick`` are defined here; everything above the models takes them from
:mod:`survey.i18n`, which re-exports them."""

from __future__ import annotations

from flask_babel import get_locale

# Every person-facing text exists in these three, in this order (packed results and the DIF
# analysis number the languages by their position here: 0 kk, 1 ru, 2 en).
LANGUAGE_CODES = ("kk", "ru", "en")
# Kazakh, the state language: the default locale, and the text used when another is missing.
DEFAULT_LANGUAGE = "kk"


def pick(texts: dict | None, locale: str | None = None) -> str:
    """The text in the given (default: current) locale; the definitions guarantee all three."""
    if not texts:
        return ""
    code = locale or str(get_locale() or DEFAULT_LANGUAGE)
    return texts.get(code) or texts.get(DEFAULT_LANGUAGE) or ""
