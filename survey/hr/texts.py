"""Words for the codes `analysis` returns (verdicts) and for the evidence behind them.

Comparisons come back as codes such as ``small_improvement``; pages and exports say them in
the page's language with these messages. The labels of fixed choices (governance levels,
sectors…) are in :mod:`survey.i18n`."""

from __future__ import annotations

import math

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
