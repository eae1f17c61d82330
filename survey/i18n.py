"""Locale choice: explicit choice (kept in the session) → Accept-Language → default (kk)."""

from __future__ import annotations

import math

from flask import Flask, current_app, request, session
from flask_babel import format_decimal, get_locale

LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config[
        "BABEL_DEFAULT_LOCALE"
    ]


def install_i18n(app: Flask) -> None:
    """Template helpers: the current locale, the switcher's languages, and ``score``, which
    writes a 1–5 score the way the page's language does (2,84 in kk and ru; 2.84 in en)."""

    @app.template_filter("score")
    def _score(value):
        # Cut, not rounded, to two decimals: the level bands start at x.5, so a score shown
        # as 2,50 is always in band 3 and one shown as 2,49 in band 2.
        if value is None:
            return "—"
        return format_decimal(math.floor(value * 100 + 1e-9) / 100, "0.00")

    @app.context_processor
    def _language_context():
        return {
            "current_locale": str(get_locale()),
            "language_names": LANGUAGE_NAMES,
        }
