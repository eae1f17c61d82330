"""Every per-person score, computed by one function for one person or for a whole campaign.

A finished attempt is packed with :func:`score_people` on its single row, and the HR pages
score the packed answers of every person with the same function, so the stored result and
the dashboard cannot disagree (a test checks it on the demo). Inputs are the packed matrices:

``survey``: float (n, n_survey_items), answers 1..5, nan = missing.
``correct``: float (n, n_test_items), 1.0 / 0.0, nan = not presented (every item of a person
who did not take the test; the items outside a linear campaign's form; the items an adaptive
attempt never picked). An unanswered item that was presented is 0.0 (wrong).
Item metadata: ``item_scale`` (n_survey_items,) indices into ``scale_ids``; ``item_reverse``
(n_survey_items,) bool; ``test_competence`` (n_test_items,) indices into the competence list
of length ``n_competences``; ``test_level`` (n_test_items,) 1..5.
``required``: int (n_profiles, n_competences), 0 where a role requires nothing; ``position``:
int (n,) profile codes, negative = unknown.

Levels come from the maturity model's rule over the presented items (linear campaigns), or,
given ``irt`` (adaptive campaigns), from ability estimates by cut scores
(:func:`analysis.adaptive.competence_levels`), with their standard errors and the probability
of each reported level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.adaptive import ItemBank, competence_levels
from analysis.culture import culture_scores, culture_subscores
from analysis.gaps import competency_gaps
from analysis.model import MaturityModel
from analysis.scales import scale_scores
from analysis.testscoring import proficiency_levels


@dataclass(frozen=True)
class PersonScores:
    """Person-level results, rows as in the input."""

    scales: NDArray[np.float64]  # (n, n_scales), nan = too few answers
    levels: NDArray[np.int8]  # (n, n_competences), 0 = not measured
    subscores: NDArray[np.float64]  # (n, n_subscores) in the model's order
    culture: NDArray[np.float64]  # (n,), nan = no score
    culture_level: NDArray[np.int8]  # (n,), 0 = no score
    gaps: NDArray[np.float64]  # (n, n_competences), nan = not measured or not required
    # Adaptive scoring only (nan otherwise): ability, its SE, the level's probability.
    theta: NDArray[np.float64] | None = None  # (n, n_competences)
    se: NDArray[np.float64] | None = None
    probability: NDArray[np.float64] | None = None
    n_items: NDArray[np.int64] | None = None


@dataclass(frozen=True)
class IrtScoring:
    """Levels from ability estimates: the bank's parameters (items in the test's order) and the
    cut scores (4,) or (n_competences, 4) of :func:`analysis.adaptive.competence_levels`."""

    bank: ItemBank
    cut_scores: tuple[float, ...]
    deviation_sd: float = 0.5


def score_people(
    model: MaturityModel,
    scale_ids: Sequence[str],
    survey: ArrayLike,
    item_scale: ArrayLike,
    item_reverse: ArrayLike,
    correct: ArrayLike,
    test_competence: ArrayLike,
    test_level: ArrayLike,
    n_competences: int,
    took_test: ArrayLike,
    required: ArrayLike,
    position: ArrayLike,
    irt: IrtScoring | None = None,
) -> PersonScores:
    """Scale scores, proficiency levels, culture sub-scores and score, and gaps of every row.

    A culture score needs every survey scale the model's sub-scores name; when the survey
    lacks one (a survey-only or different questionnaire), culture scores are nan.
    """
    rule = model.proficiency_rule
    answers = np.asarray(survey, dtype=float)
    n = answers.shape[0]
    scales = scale_scores(answers, np.asarray(item_scale, dtype=np.intp),
                          np.asarray(item_reverse, dtype=bool), len(scale_ids),
                          min_share=rule.missing_scale_items)
    tested = np.asarray(correct, dtype=float)
    took = np.asarray(took_test, dtype=bool)
    estimates: _Estimates | None = None
    if tested.shape[1] and irt is not None:
        levels, estimates = _irt_levels(tested, took, irt, n_competences)
    elif tested.shape[1]:
        # nan (not presented) is neither right nor presented: no zero-filled copy needed.
        levels = proficiency_levels(tested,
                                    np.asarray(test_competence, dtype=np.intp),
                                    np.asarray(test_level, dtype=np.intp), n_competences,
                                    rule.pass_share, taken=took, presented=~np.isnan(tested))
    else:
        levels = np.zeros((n, n_competences), dtype=np.int8)
    needed = [s.scale_id for s in model.culture_subscores if s.scale_id]
    if model.culture_subscores and all(scale in scale_ids for scale in needed):
        subscores = culture_subscores(model, scale_ids, scales,
                                      levels if tested.shape[1] else None)
        person = culture_scores(model, subscores)
        culture, culture_level = person.score, person.level
    else:
        subscores = np.full((n, len(model.culture_subscores)), np.nan)
        culture, culture_level = np.full(n, np.nan), np.zeros(n, dtype=np.int8)
    needs = np.asarray(required, dtype=np.int64)
    codes = np.asarray(position, dtype=np.intp)
    if needs.shape[0]:
        gaps = competency_gaps(needs, codes, levels)
        # A competence the role does not require (level 0 in the table) is never a need.
        gaps[needs[np.maximum(codes, 0)] == 0] = np.nan
    else:
        gaps = np.full((n, n_competences), np.nan)
    if estimates is None:
        return PersonScores(scales, levels, subscores, culture, culture_level, gaps)
    return PersonScores(scales, levels, subscores, culture, culture_level, gaps, *estimates)


_Estimates = tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64],
                   NDArray[np.int64]]


def _irt_levels(
    tested: NDArray[np.float64], took: NDArray[np.bool_], irt: IrtScoring, n_competences: int
) -> tuple[NDArray[np.int8], _Estimates]:
    """Levels, θ, SE, level probability and item counts of the rows that took the test; a
    competence with no presented item is not measured (level 0, nan estimates)."""
    n = tested.shape[0]
    if irt.bank.n_competences != n_competences or irt.bank.difficulty.size != tested.shape[1]:
        raise ValueError("the bank must have the test's items and competences")
    levels = np.zeros((n, n_competences), dtype=np.int8)
    theta, se, probability = (np.full((n, n_competences), np.nan) for _ in range(3))
    counts = np.zeros((n, n_competences), dtype=np.int64)
    if took.any():
        found = competence_levels(tested[took], irt.bank, irt.cut_scores, irt.deviation_sd)
        measured = found.n_items > 0
        levels[took] = np.where(measured, found.level, 0)
        theta[took] = np.where(measured, found.theta, np.nan)
        se[took] = np.where(measured, found.se, np.nan)
        probability[took] = np.where(measured, found.probability, np.nan)
        counts[took] = found.n_items
    return levels, (theta, se, probability, counts)


def required_levels(required: ArrayLike, position: ArrayLike) -> NDArray[np.int64]:
    """Each person's required level per competence, int (n, n_competences): the row of their
    profile in ``required`` (n_profiles, n_competences); zeros for an unknown profile."""
    needs = np.asarray(required, dtype=np.int64)
    codes = np.asarray(position, dtype=np.intp)
    if needs.shape[0] == 0:
        return np.zeros((codes.size, needs.shape[1] if needs.ndim == 2 else 0), dtype=np.int64)
    rows = needs[np.clip(codes, 0, needs.shape[0] - 1)].copy()
    rows[(codes < 0) | (codes >= needs.shape[0])] = 0
    return rows
