"""Every template filter, global and context value, registered in one place (as Indico's
``web/flask/templating.py`` does). The helpers themselves live with what they say:
labels and languages in :mod:`survey.i18n`, problems in :mod:`survey.problems`, table cells in
:mod:`survey.exports`."""

from __future__ import annotations

from flask import Flask
from flask_babel import get_locale, get_translations
from jinja2.ext import _make_new_gettext, _make_new_ngettext

from .campaigns.problems import column_label
from .exports import HIDDEN, format_cell
from .i18n import (
    LANGUAGE_SELF_NAMES,
    closing_day,
    format_day,
    format_score,
    label_of,
    official_date,
    opening_day,
    pick,
)
from .problems import render

FILTERS = {
    "pick": pick,  # {{ definition.title|pick }}: a {kk, ru, en} text in the page's language
    "score": format_score,  # {{ result.culture_score|score }}: 2,84 (kk, ru) or 2.84 (en)
    "day": format_day,  # {{ campaign|closing_day|day }}: "2026 жылғы 15 наурыз", "15 марта 2026 г."
    "opening_day": opening_day,  # the campaign's first local day
    "closing_day": closing_day,  # the campaign's last local day, included
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
        # The render's catalogue, looked up once: Flask-Babel's template callables look it up
        # again for every text (a few dozen context lookups on each page). Wrapped as Jinja's
        # new-style gettext is, so escaping and %(name)s formatting stay exactly the same.
        translations = get_translations()
        return {"current_locale": str(get_locale()), "language_self_names": LANGUAGE_SELF_NAMES,
                "gettext": _make_new_gettext(translations.ugettext),
                "ngettext": _make_new_ngettext(translations.ungettext)}
