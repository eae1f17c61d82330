"""Words for the codes `analysis` returns (verdicts) and for the evidence behind them.

Comparisons come back as codes such as ``small_improvement``; pages and exports say them in
the page's language with these messages. The labels of fixed choices (governance levels,
sectors…) are in :mod:`survey.i18n`."""

from __future__ import annotations

import math
from datetime import datetime

from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

VERDICTS = {
    "no_difference": _l("No statistically significant difference."),
    "insufficient_data": _l("Too few respondents to compare."),
    "negligible_improvement": _l("A statistically significant but negligible improvement."),
    "small_improvement": _l("A small improvement."),
    "moderate_improvement": _l("A moderate improvement."),
    "large_improvement": _l("A large improvement."),
    "negligible_decline": _l("A statistically significant but negligible decline."),
    "small_decline": _l("A small decline."),
    "moderate_decline": _l("A moderate decline."),
    "large_decline": _l("A large decline."),
    "negligible_difference": _l("A statistically significant but negligible difference."),
    "small_difference": _l("A small difference."),
    "moderate_difference": _l("A moderate difference."),
    "large_difference": _l("A large difference."),
}

def verdict_text(code: str) -> str:
    """The plain-language sentence for a verdict code (unknown codes say nothing is known)."""
    return str(VERDICTS.get(code, VERDICTS["insufficient_data"]))


def evidence_text(p: float, effect: float) -> str:
    """"p = 0.012, effect size r = 0.31" in the page's language, or "" without a test."""
    if not (math.isfinite(p) and math.isfinite(effect)):
        return ""
    p_text = "< " + format_decimal(0.001, "0.###") if p < 0.001 else format_decimal(p, "0.###")
    return _("p = %(p)s, effect size r = %(r)s", p=p_text, r=format_decimal(effect, "0.00"))


MONTHS = {
    "kk": ("қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз",
           "қыркүйек", "қазан", "қараша", "желтоқсан"),
    "ru": ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
           "сентября", "октября", "ноября", "декабря"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}


def long_date(moment: datetime) -> str:
    """A date as official texts write it (glossary): kk "2026 жылғы 15 наурыз", ru "15 марта
    2026 г.", en "15 March 2026", in the app's time zone."""
    from flask_babel import get_locale, to_user_timezone

    day = to_user_timezone(moment)
    language = str(get_locale() or "en")[:2]
    month = MONTHS.get(language, MONTHS["en"])[day.month - 1]
    if language == "kk":
        return f"{day.year} жылғы {day.day} {month}"
    if language == "ru":
        return f"{day.day} {month} {day.year} г."
    return f"{day.day} {month} {day.year}"


def release_note(released_at: datetime | None, waiting: int) -> str:
    """"Figures released on <date>; N results wait for the next release" for the dashboard,
    its report and its exports."""
    if released_at is None:
        return _("No figures have been released yet. Results waiting for the first release: "
                 "%(n)s.", n=waiting)
    return _("Figures released: %(date)s. Results waiting for the next release: %(n)s.",
             date=long_date(released_at), n=waiting)
