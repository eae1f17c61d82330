"""Words for the codes `analysis` returns (verdicts) and for the evidence behind them.

Comparisons come back as codes such as ``small_improvement``; pages and exports say them in
the page's language with these messages. The labels of fixed choices (governance levels,
sectors…) are in :mod:`survey.i18n`."""

from __future__ import annotations

import math

from flask_babel import format_decimal, pgettext
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


def p_text(p: float) -> str:
    """"p = 0,012" or "p < 0,001" in the page's language (never "p = < 0,001")."""
    # Notation, the same in every language; only the decimal separator follows the page.
    if p < 0.001:
        return "p < " + format_decimal(0.001, "0.000")
    return "p = " + format_decimal(p, "0.000")


def evidence_text(p: float, effect: float, significant: bool = True,
                  effect_name: str = "r") -> str:
    """"p = 0,012, effect size r = 0,31" in the page's language, or "" without a test.

    Without a significant difference only p is said: an effect size there (often large in tiny
    groups) would read as a difference the test did not find. ``effect_name`` is "r" (rank
    biserial) or "ε²" (Kruskal–Wallis)."""
    if not math.isfinite(p):
        return ""
    if not significant or not math.isfinite(effect):
        return p_text(p)
    return _("%(p)s, effect size %(name)s = %(effect)s", p=p_text(p), name=effect_name,
             effect=format_decimal(effect, "0.00"))


def sheet_names() -> dict[str, str]:
    """Short names of the dashboard's XLSX sheets (a sheet name holds at most 31 characters;
    the full title is the sheet's first line), in the page's language."""
    return {
        # i18n: XLSX sheet name, at most 31 characters.
        "culture_score": pgettext("sheet name", "Culture score"),
        "subscores": pgettext("sheet name", "Sub-scores"),
        "levels": pgettext("sheet name", "By level"),
        "response_rate": pgettext("sheet name", "Response rate"),
        "culture_by_unit": pgettext("sheet name", "Score by unit"),
        "culture_by_position": pgettext("sheet name", "Score by position"),
        "gaps_by_competence": pgettext("sheet name", "Gaps by competence"),
        "gaps_by_unit": pgettext("sheet name", "Gaps by unit"),
        "gaps_by_position": pgettext("sheet name", "Gaps by position"),
        "top_gaps": pgettext("sheet name", "Top gaps"),
    }
