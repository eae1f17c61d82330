"""The item-quality numbers as translated tables (page, CSV and XLSX show the same cells), and
each flag of `analysis/` said as a plain sentence with its documented threshold.

Items are shown by their code and their text in the page's language; thresholds are the
constants of `analysis/`, formatted in the page's locale, so the words never drift from the
rules."""

from __future__ import annotations

import math

from flask_babel import format_decimal, format_percent, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from analysis import dif as dif_rules
from analysis import irt as irt_rules
from analysis import items as item_rules
from analysis import reliability as scale_rules

from ..exports import HIDDEN
from ..extensions import db
from ..i18n import LANGUAGE_CODES, LANGUAGE_LABELS, pick
from ..models import Calibration
from ..results.frames import CampaignFrame
from ..results.quality import ItemQuality, option_codes
from .tables import Table

# The columns of a table with a "What to review" column: the item's code, its text (where the
# table shows one) and the sentence saying what to review.
REVIEWED = {"code": 0, "review": -1}
REVIEWED_WITH_TEXT = {"code": 0, "text": 1, "review": -1}


def _num(x: float) -> float | None:
    """A statistic as a plain float; None (an empty cell) where it is undefined."""
    return float(x) if math.isfinite(float(x)) else None


def _dec(x: float) -> str:
    return format_decimal(x, "0.00")


def _pct(x: float) -> str:
    return format_percent(x, "#,##0%")


def irt_number(calibration_id: int) -> int:
    """The number of a calibration (1, 2, … per test version)."""
    return int(db.session.get(Calibration, calibration_id).number)


def flag_sentence(code: str, option: str = "") -> str:
    """The sentence for one flag code of `analysis/` (see analysis/README.md)."""
    share = _pct(item_rules.GROUP_SHARE)
    texts = {
        "low_alpha": lambda: _("Low reliability: Cronbach's alpha is below %(threshold)s, so the "
                               "scale's statements do not measure one thing consistently enough.",
                               threshold=_dec(scale_rules.LOW_ALPHA)),
        "weak_item": lambda: _("Weak statement: its correlation with the rest of its scale is "
                               "below %(threshold)s.", threshold=_dec(scale_rules.WEAK_ITEM_REST_R)),
        "raises_alpha": lambda: _("The scale would be more reliable without it: alpha rises by "
                                  "%(threshold)s or more when it is left out.",
                                  threshold=_dec(scale_rules.ALPHA_GAIN_IF_DELETED)),
        "too_hard": lambda: _("Too hard: fewer than %(threshold)s of test takers answer it "
                              "correctly.", threshold=_pct(item_rules.TOO_HARD)),
        "too_easy": lambda: _("Too easy: more than %(threshold)s of test takers answer it "
                              "correctly.", threshold=_pct(item_rules.TOO_EASY)),
        "misfit": lambda: _("Fits the IRT model poorly: its infit or outfit is outside "
                            "%(low)s–%(high)s.", low=_dec(irt_rules.FIT_BOUNDS[0]),
                            high=_dec(irt_rules.FIT_BOUNDS[1])),
        "negative_discrimination": lambda: _(
            "Works backwards: stronger test takers get it wrong more often than weaker ones "
            "(correlation with the rest of the test below 0)."),
        "low_discrimination": lambda: _(
            "Separates stronger from weaker test takers poorly: its correlation with the rest "
            "of the test is below %(threshold)s.", threshold=_dec(item_rules.LOW_ITEM_REST_R)),
        "low_discrimination_index": lambda: _(
            "The top %(share)s of test takers answer it correctly hardly more often than the "
            "bottom %(share)s (difference below %(threshold)s).",
            share=share, threshold=_dec(item_rules.LOW_INDEX)),
        "often_omitted": lambda: _("Often left unanswered: by more than %(threshold)s of test "
                                   "takers.", threshold=_pct(item_rules.OFTEN_OMITTED)),
        "nonfunctional": lambda: _("Option %(option)s is chosen by fewer than %(threshold)s of "
                                   "test takers: it distracts almost nobody.",
                                   option=option, threshold=_pct(item_rules.NONFUNCTIONAL_SHARE)),
        "attracts_able": lambda: _("Option %(option)s attracts the top %(share)s of test takers "
                                   "more than the bottom %(share)s: it may be a second right "
                                   "answer or ambiguous.", option=option, share=share),
    }
    return texts[code]() if code in texts else code


def dif_sentence(category: str, harder_in: str) -> str:
    """The sentence for an item in ETS class B or C; "" for A or none."""
    if category == "B":
        return _("Moderate difference between languages (ETS class B: |Δ| of at least %(b)s and "
                 "statistically significant). At equal ability it is harder in this language: "
                 "%(language)s.", b=_dec(dif_rules.B_DELTA), language=harder_in)
    if category == "C":
        return _("Large difference between languages (ETS class C: |Δ| of at least %(c)s and "
                 "significantly above %(b)s). At equal ability it is harder in this language: "
                 "%(language)s.", c=_dec(dif_rules.C_DELTA), b=_dec(dif_rules.B_DELTA),
                 language=harder_in)
    return ""


def language_name(code: int) -> str:
    """A language, given by its position in ``LANGUAGE_CODES``, named in the page's language."""
    return str(LANGUAGE_LABELS[LANGUAGE_CODES[code]])


def option_label(extra: dict, index: int) -> str:
    """"B — text of option B" in the page's language; true/false options say their value."""
    if extra.get("type") == "true_false":
        return _("True") if index == 1 else _("False")
    options = extra.get("options") or []
    text = pick((options[index] or {}).get("text") or {}) if index < len(options) else ""
    letter = chr(ord("A") + index)
    return f"{letter} — {text}" if text else letter


def scale_names(model_data: dict) -> dict[str, str]:
    """Scale id → its name in the page's language (the maturity model names each scale)."""
    names = {}
    for sub in model_data.get("culture_subscores", []):
        source = str(sub.get("source", ""))
        if source.startswith("scale:"):
            names[source[6:]] = pick(sub.get("name")) or source[6:]
    return names


def build_quality_tables(frame: CampaignFrame, q: ItemQuality, model_data: dict) -> list[Table]:
    """Every table of the item-quality page, in page order."""
    layout = frame.layout
    code_h, review = str(_l("Code")), str(_l("What to review"))
    statement, question = str(_l("Statement")), str(_l("Question"))
    upper_h = _("Top %(share)s", share=_pct(item_rules.GROUP_SHARE))
    lower_h = _("Bottom %(share)s", share=_pct(item_rules.GROUP_SHARE))
    names = scale_names(model_data)
    tables = []

    scales = Table("scales", _("Reliability of the survey scales"),
                   [(_("Scale"), "text"), (_("Items"), "int"), (_("Respondents"), "int"),
                    ("α", "score"), (_("Lower bound (95%)"), "score"),
                    (_("Upper bound (95%)"), "score"), (review, "text")], keys=REVIEWED)
    items = Table("survey_items", _("Survey statements"),
                  [(code_h, "text"), (statement, "text"), (_("Scale"), "text"),
                   (_("Correlation with the rest of the scale"), "score"),
                   (_("Alpha if left out"), "score"), (review, "text")], keys=REVIEWED_WITH_TEXT)
    for s in q.scales or ():
        scale_id = layout.scale_ids[s.scale]
        a = s.alpha
        scales.rows.append([names.get(scale_id, scale_id), int(a.n_items), int(a.n), _num(a.alpha),
                            _num(a.low), _num(a.high), " ".join(map(flag_sentence, s.flags))])
        for i, j in enumerate(s.items):
            item = layout.survey_items[j]
            items.rows.append([item.code, item.name, names.get(scale_id, scale_id),
                               _num(s.item_rest_r[i]), _num(s.alpha_if_deleted[i]),
                               " ".join(map(flag_sentence, s.item_flags[i]))])
    scales.note = _("Cronbach's alpha with Feldt's interval at the 95 per cent level; only respondents who answered "
                    "every statement of a scale enter it.")
    tables += [scales, items]

    tests = Table("test_items", _("Test questions"),
                  [(code_h, "text"), (question, "text"), (_("Competence"), "text"),
                   # i18n: Column header: the competence level (1–5) a test question is
                   # written for.
                   (pgettext("test question", "Level"), "int"),
                   (_("Answered correctly"), "percent"),
                   (_("Left unanswered"), "percent"),
                   (_("Correlation with the rest of the test"), "score"),
                   (upper_h, "percent"), (lower_h, "percent"),
                   (_("Discrimination index"), "score"),
                   (_("IRT difficulty (b)"), "score"), (_("IRT discrimination (a)"), "score"),
                   (_("Infit"), "score"), (_("Outfit"), "score"),
                   (review, "text")], keys=REVIEWED_WITH_TEXT)
    st, irt = q.items, q.irt

    # Adaptive campaigns have no classical figures (st is None): six empty cells.
    classical = () if st is None else (st.facility, st.omitted, st.item_rest_r, st.upper,
                                       st.lower, st.discrimination_index)
    for j, item in enumerate(layout.test_items if st is not None or irt is not None else ()):
        flags = (st.flags[j] if st is not None else ()) + (irt.fit.flags[j] if irt else ())
        tests.rows.append([item.code, item.name,
                           layout.competences[layout.test_competence[j]].name,
                           int(layout.test_level[j]),
                           *([_num(values[j]) for values in classical] or [None] * 6),
                           *(_num(x) for x in ((irt.difficulty[j], irt.discrimination[j],
                                                irt.fit.infit[j], irt.fit.outfit[j])
                                               if irt else (math.nan,) * 4)),
                           " ".join(map(flag_sentence, flags))])
    tests.note = _("Unanswered questions count as wrong. The correlation with the rest of the "
                   "test is the corrected point-biserial; the discrimination index is the top "
                   "group's share correct minus the bottom group's.")
    if irt is not None:
        tests.note += " " + (
            _("IRT parameters: calibration %(number)s.", number=irt_number(irt.calibration_id))
            if irt.calibration_id is not None else
            _("IRT parameters: provisional, from the questions' levels (no calibration yet)."))
        tests.note += " " + _("Infit and outfit are mean squares near 1; outside %(low)s–%(high)s "
                              "a question fits the model poorly.",
                              low=_dec(irt_rules.FIT_BOUNDS[0]), high=_dec(irt_rules.FIT_BOUNDS[1]))
    if layout.adaptive:
        tests.note += " " + _("In an adaptive campaign people answer different questions, so "
                              "the classical figures are left empty: the IRT figures stand in.")
    tables.append(tests)

    options = Table("distractors", _("Answer options"),
                    [(code_h, "text"), (_("Option"), "text"), (_("Right answer"), "text"),
                     (_("Chosen by"), "percent"), (upper_h, "percent"), (lower_h, "percent"),
                     (review, "text")], keys=REVIEWED_WITH_TEXT)
    d = q.distractors
    for row, j in enumerate(q.distractor_items if d is not None else ()):
        item = layout.test_items[j]
        n_options, key = option_codes(item.extra)
        flags = dict(d.flags[row])
        for o in range(n_options):
            label = option_label(item.extra, o)
            options.rows.append([item.code, label, _("yes") if o == key else "",
                                 _num(d.share[row, o]), _num(d.upper[row, o]),
                                 _num(d.lower[row, o]),
                                 flag_sentence(flags[o], label) if o in flags else ""])
    tables.append(options)

    languages = Table("languages", _("Test takers by language"),
                      [(_("Language"), "text"), (_("Respondents"), "int")])
    for code, count in enumerate(q.language_counts):
        languages.rows.append([language_name(code).capitalize(), HIDDEN if count < 0 else int(count)])
    tables.append(languages)

    for result in q.dif:
        ref, foc = language_name(result.reference), language_name(result.focal)
        table = Table(f"dif_{LANGUAGE_CODES[result.reference]}_{LANGUAGE_CODES[result.focal]}",
                      _("Differences between languages: %(first)s and %(second)s", first=ref, second=foc),
                      [(code_h, "text"), (question, "text"), ("Δ", "score"), (_("Standard error"), "score"),
                       ("p", "p"), (_("ETS class"), "text"), (review, "text")],
                      keys=REVIEWED_WITH_TEXT)
        for j, item in enumerate(layout.test_items):
            harder = foc if result.delta[j] < 0 else ref
            table.rows.append([item.code, item.name, _num(result.delta[j]), _num(result.se_delta[j]),
                               _num(result.p[j]), result.category[j] if result.category[j] != "none" else "",
                               dif_sentence(result.category[j], harder)])
        table.note = _("Mantel–Haenszel, people matched on their total test score. Δ below 0: "
                       "harder in %(second)s than in %(first)s at equal ability.", first=ref, second=foc)
        tables.append(table)
    return tables
