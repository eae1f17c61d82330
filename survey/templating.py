"""Every template filter, global and context value, registered in one place (as Indico's
``web/flask/templating.py`` does). The helpers themselves live with what they say:
labels and languages in :mod:`survey.i18n`, problems in :mod:`survey.problems`, table cells in
:mod:`survey.exports`."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale

from .campaigns.problems import column_label
from .exports import HIDDEN, format_cell
from .i18n import LANGUAGE_SELF_NAMES, format_score, label_of, official_date, pick
from .problems import render

FILTERS = {
    "pick": pick,  # {{ definition.title|pick }}: a {kk, ru, en} text in the page's language
    "score": format_score,  # {{ result.culture_score|score }}: 2,84 (kk, ru) or 2.84 (en)
}
GLOBALS = {
    "label_of": label_of,  # label_of("sector", o.sector), label_of("status", c.status), …
    "problem_text": render,  # a problem's reason in the page's language
    "problem_column": lambda problem: column_label(problem.where),
    "format_cell": format_cell,
    "official_date": official_date,  # 2026 жылғы 15 наурыз / 15 марта 2026 г. / 15 March 2026
    "is_hidden": lambda value: value is HIDDEN,
}


def install_templating(app: Flask) -> None:
    """Register the filters and globals, and give every template the page's locale and the
    language switcher's names."""
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(GLOBALS)

    @app.context_processor
    def _language_context() -> dict[str, object]:
        return {"current_locale": str(get_locale()), "language_self_names": LANGUAGE_SELF_NAMES}
