"""The item-quality numbers of one campaign and scope — every statistic from `analysis/`
(reliability of the survey scales, test item statistics, distractors, and Mantel–Haenszel DIF
between the kk, ru and en respondents); this module only picks rows and codes the answers.

Privacy: every table is computed on released rows only (:mod:`analysis.privacy`): the survey
tables on the whole atoms inside the selection, the test tables on the whole atoms inside its
test takers, the language counts and DIF on the atoms inside each language's takers — so a
per-question count is a sum over atoms of at least ``k`` results. DIF is computed only between
two languages that each have at least ``dif_min`` released test takers (Mantel–Haenszel needs
far more than ``k`` people per group).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from analysis.dif import DifResult, mantel_haenszel_dif
from analysis.irt import ItemFit, item_fit
from analysis.items import DistractorAnalysis, ItemStatistics, distractor_analysis, item_statistics
from analysis.privacy import Partition, Released, release, release_table
from analysis.reliability import ScaleReliability, scale_reliability

from ..extensions import db
from ..i18n import LANGUAGE_CODES
from ..models import Campaign
from ..responses.bank import version_bank
from .frames import CampaignFrame

DIF_MIN_GROUP = 100  # test takers per language before two languages are compared
CHOICE_TYPES = ("single", "true_false")  # items with one chosen option (distractors)


@dataclass(frozen=True)
class ItemQuality:
    """Item quality of the rows a scope keeps; None where too few respondents (< k)."""

    k: int
    dif_min: int
    n_survey: int  # respondents in the rows (survey items analysed only if ≥ k)
    n_test: int  # of them, test takers
    scales: tuple[ScaleReliability, ...] | None
    items: ItemStatistics | None
    distractor_items: NDArray[np.intp]  # test item indices of the distractor table
    distractors: DistractorAnalysis | None
    language_counts: NDArray[np.int64]  # test takers per language, −1 where suppressed
    dif: tuple[DifResult, ...]  # only pairs with both languages ≥ dif_min
    irt: IrtItems | None = None


@dataclass(frozen=True)
class IrtItems:
    """The IRT figures of the test items, arrays (n_test_items,): the parameters the campaign
    scores with (``calibration_id`` None: provisional, from the levels) and the items' infit and
    outfit on the rows' presented answers (nan for an item nobody in the rows was shown)."""

    discrimination: NDArray[np.float64]
    difficulty: NDArray[np.float64]
    calibration_id: int | None
    fit: ItemFit


def option_codes(extra: dict) -> tuple[int, int] | None:
    """(number of options, index of the key) of a single-choice or true/false item; None for
    other items or an item whose key is not one of its options."""
    if extra.get("type") == "true_false":
        return 2, 1 if extra.get("key") else 0  # options: 0 = false, 1 = true
    if extra.get("type") == "single":
        ids = [option.get("id") for option in extra.get("options") or []]
        if extra.get("key") in ids:
            return len(ids), ids.index(extra["key"])
    return None


def _distractors(frame: CampaignFrame, rows: NDArray[np.bool_],
                 choices: NDArray[np.uint8] | None) -> tuple[NDArray[np.intp], DistractorAnalysis | None]:
    coded = [(j, option_codes(item.extra)) for j, item in enumerate(frame.layout.test_items)]
    coded = [(j, codes) for j, codes in coded if codes is not None]
    items = np.array([j for j, _codes in coded], dtype=np.intp)
    if choices is None or not coded:
        return items, None
    n_options = np.array([codes[0] for _j, codes in coded], dtype=np.intp)
    key = np.array([codes[1] for _j, codes in coded], dtype=np.intp)
    # Stored byte: 0 = none, else option index + 1 (true/false: 1 = false, 2 = true).
    chosen = choices[rows][:, items].astype(np.int16) - 1
    chosen[chosen >= n_options] = -1  # a byte no option has counts as no answer
    total = np.nansum(frame.correct_float[rows], axis=1)
    total[~frame.took_test[rows]] = np.nan
    return items, distractor_analysis(chosen, key, n_options, total)


def _released(partition: Partition, selection: NDArray[np.bool_]) -> NDArray[np.bool_]:
    result = release(partition, selection)
    return result.rows if isinstance(result, Released) else np.zeros_like(selection)


def compute_quality(frame: CampaignFrame, partition: Partition, selection: NDArray[np.bool_],
                    k: int, choices: NDArray[np.uint8] | None,
                    dif_min: int = DIF_MIN_GROUP) -> ItemQuality:
    """Reliability, item statistics, distractors and DIF of the released rows of
    ``selection`` (bool (n,)); see the module docstring.

    ``choices``: the frame's chosen options (:func:`survey.results.test_choices`), None to
    leave the distractors out."""
    layout = frame.layout
    rows = _released(partition, selection)
    n_survey = int(rows.sum())
    takers = _released(partition, selection & frame.took_test)
    n_test = int(takers.sum()) if layout.test_items else 0
    scales = None
    if layout.survey_items and n_survey >= k:
        scales = tuple(scale_reliability(frame.survey_float[rows], layout.item_scale,
                                         layout.item_reverse, len(layout.scale_ids)))
    items, distractors, dif = None, None, ()
    distractor_items = np.zeros(0, dtype=np.intp)
    by_language = release_table(partition, selection & frame.took_test, frame.language,
                                len(LANGUAGE_CODES))
    counts = by_language.count
    irt = None
    if n_test >= k:
        correct = frame.correct_float[takers]
        items = _classical(correct, layout.adaptive)
        distractor_items, distractors = _distractors(frame, takers, choices)
        bank = version_bank(db.session.get(Campaign, frame.campaign_id).test_version_id)
        irt = IrtItems(bank.bank.discrimination, bank.bank.difficulty, bank.calibration_id,
                       item_fit(correct, bank.bank.discrimination, bank.bank.difficulty))
        pairs = [(a, b) for a in range(len(LANGUAGE_CODES)) for b in range(a + 1, len(LANGUAGE_CODES))
                 if counts[a] >= max(dif_min, k) and counts[b] >= max(dif_min, k)]
        if pairs:
            # Each language's released takers only (its cell's whole atoms).
            in_cell = by_language.codes >= 0
            dif = tuple(mantel_haenszel_dif(frame.correct_float[in_cell],
                                            by_language.codes[in_cell],
                                            len(LANGUAGE_CODES), pairs))
    return ItemQuality(k, dif_min, n_survey, n_test, scales, items, distractor_items, distractors,
                       counts, dif, irt)


def _classical(correct: NDArray[np.float64], adaptive: bool) -> ItemStatistics | None:
    """Classical statistics over the items presented to every taker (a linear campaign's
    form), nan for the rest; none for an adaptive campaign, where takers share no form and a
    total score means nothing (its IRT figures stand in)."""
    if adaptive:
        return None
    shown = ~np.all(np.isnan(correct), axis=0)
    found = item_statistics(np.nan_to_num(correct[:, shown], nan=0.0))
    def spread(values: NDArray[np.float64]) -> NDArray[np.float64]:
        out = np.full(shown.size, np.nan)
        out[shown] = values
        return out
    flags: list[tuple[str, ...]] = [()] * shown.size
    for j, flag in zip(np.flatnonzero(shown), found.flags, strict=True):
        flags[j] = flag
    return ItemStatistics(found.n, spread(found.facility), spread(found.omitted),
                          spread(found.item_rest_r), spread(found.upper), spread(found.lower),
                          spread(found.discrimination_index), tuple(flags))


def quality(frame: CampaignFrame, partition: Partition, selection: NDArray[np.bool_],
            key: tuple, k: int, choices: NDArray[np.uint8] | None,
            dif_min: int = DIF_MIN_GROUP) -> ItemQuality:
    """:func:`compute_quality`, kept with the frame (so per data version) under ``key`` and
    the release number."""
    cache = frame.derived.setdefault("quality", {})
    full_key = (key, partition.releases, k, dif_min, choices is not None)
    if full_key not in cache:
        cache[full_key] = compute_quality(frame, partition, selection, k, choices, dif_min)
    return cache[full_key]
