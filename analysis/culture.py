"""The digital-culture dimension score, its level band and confidence interval, and the
overall maturity index.

Sub-scores (``culture_subscores`` of the model), each on 1–5:
``test`` = mean measured proficiency over the competences measured (levels from
:func:`analysis.testscoring.proficiency_levels`, 0 = not measured, left out);
``scale:<id>`` = the person's score on that survey scale.

Person score = weighted mean of the available sub-scores with the weights renormalised, given
only when the available sub-scores carry at least ``min_weight`` (0.5) of the total weight;
otherwise nan. Scores are rounded to 12 decimals so that equal sub-scores give exactly equal
scores (rank tests then see the ties).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis._arrays import as_codes
from analysis.model import CULTURE_DIMENSION, MaturityModel
from analysis.privacy import DEFAULT_K
from analysis.suppression import group_counts, suppress

MIN_WEIGHT = 0.5
SCORE_DECIMALS = 12
SCALE_MIN, SCALE_MAX = 1.0, 5.0


def culture_subscores(
    model: MaturityModel,
    scale_ids: Sequence[str],
    scale_scores: ArrayLike,
    proficiency: ArrayLike | None,
) -> NDArray[np.float64]:
    """Sub-scores of every person, float (n, n_subscores) in the model's order.

    ``scale_ids``: the survey's scale ids, in the column order of ``scale_scores`` (n,
    n_scales); ``proficiency``: int (n, n_competences) or None when no test was given.
    """
    scores = np.asarray(scale_scores, dtype=float)
    n = scores.shape[0]
    columns = []
    for subscore in model.culture_subscores:
        if subscore.scale_id is None:
            if proficiency is None:
                columns.append(np.full(n, np.nan))
                continue
            levels = np.asarray(proficiency)
            if levels.shape[0] != n:
                raise ValueError("proficiency and scale_scores must have the same rows")
            measured = levels > 0
            count = measured.sum(axis=1)
            mean = np.full(n, np.nan)
            np.divide(np.where(measured, levels, 0).sum(axis=1), count, out=mean, where=count > 0)
            columns.append(mean)
        else:
            if subscore.scale_id not in scale_ids:
                raise ValueError(f"culture sub-score {subscore.id}: no survey scale {subscore.scale_id!r}")
            columns.append(scores[:, list(scale_ids).index(subscore.scale_id)])
    return np.column_stack(columns) if columns else np.empty((n, 0))


@dataclass(frozen=True)
class PersonCulture:
    """Culture scores of people, arrays (n,): score on 1–5 (nan = not enough data), level band
    1..5 (0 = no score) and the measurement interval [low, high] (nan without reliabilities)."""

    score: NDArray[np.float64]
    level: NDArray[np.int8]
    low: NDArray[np.float64]
    high: NDArray[np.float64]
    confidence: float


def culture_scores(
    model: MaturityModel,
    subscores: ArrayLike,
    reliability: ArrayLike | None = None,
    confidence: float = 0.95,
    min_weight: float = MIN_WEIGHT,
) -> PersonCulture:
    """The dimension score of every person from :func:`culture_subscores`.

    Interval of a person (classical test theory): each sub-score's standard error of
    measurement is SEM_j = SD_j · √(1 − reliability_j), SD_j its spread over the people given;
    errors taken as independent, SE = √(Σ w_j² SEM_j²) / Σ w_j over the available sub-scores,
    and the interval score ± z·SE clipped to 1–5. ``reliability``: (n_subscores,), e.g. each
    scale's alpha and the test's KR-20 (:func:`analysis.reliability.cronbach_alpha` of the
    0/1 matrix).
    """
    values = np.asarray(subscores, dtype=float)
    weights = model.culture_weights
    if values.ndim != 2 or values.shape[1] != weights.size:
        raise ValueError("subscores must be (n, n_subscores) in the model's order")
    available = ~np.isnan(values)
    weight_present = available @ weights
    enough = weight_present >= min_weight - 1e-9
    weighted = np.where(available, values, 0.0) @ weights
    score = np.full(values.shape[0], np.nan)
    np.divide(weighted, weight_present, out=score, where=enough & (weight_present > 0))
    # Rounded so that people with equal sub-scores tie exactly in rank tests, whatever the
    # order the arithmetic was done in (12 decimals: far below any meaningful difference).
    score = np.round(score, SCORE_DECIMALS)
    low = np.full(score.shape, np.nan)
    high = np.full(score.shape, np.nan)
    if reliability is not None and values.shape[0] >= 2:
        rel = np.asarray(reliability, dtype=float)
        if rel.shape != weights.shape:
            raise ValueError("reliability must have one value per sub-score")
        spread = np.zeros(weights.size)
        for j in range(weights.size):
            column = values[available[:, j], j]
            spread[j] = column.std(ddof=1) if column.size >= 2 else np.nan
        sem = spread * np.sqrt(np.clip(1 - rel, 0, None))
        variance = np.where(available, weights**2 * sem**2, 0.0).sum(axis=1)
        se = np.sqrt(variance) / np.where(weight_present > 0, weight_present, 1.0)
        z = stats.norm.isf((1 - confidence) / 2)
        ok = np.isfinite(score) & np.isfinite(se)
        low[ok] = np.clip(score[ok] - z * se[ok], SCALE_MIN, SCALE_MAX)
        high[ok] = np.clip(score[ok] + z * se[ok], SCALE_MIN, SCALE_MAX)
    return PersonCulture(score, model.level_for(score), low, high, confidence)


@dataclass(frozen=True)
class GroupCulture:
    """Culture score of every group, arrays (n_groups,). Suppressed groups: n = −1, nan."""

    n: NDArray[np.int64]  # people with a score
    mean: NDArray[np.float64]
    sd: NDArray[np.float64]
    low: NDArray[np.float64]  # t interval of the mean, clipped to 1–5
    high: NDArray[np.float64]
    level: NDArray[np.int8]  # band of the mean; 0 = none
    suppressed: NDArray[np.bool_]
    confidence: float


def group_culture(
    model: MaturityModel,
    scores: ArrayLike,
    groups: ArrayLike,
    n_groups: int,
    k: int = DEFAULT_K,
    parent: ArrayLike | None = None,
    confidence: float = 0.95,
    also_hidden: ArrayLike | None = None,
) -> GroupCulture:
    """Mean culture score of each group (unit, organisation, position category, governance
    level, sector — any int coding), with a t interval ``mean ± t(n−1) · sd/√n`` and its band.

    ``scores``: float (n,) person scores (nan left out). ``groups``: int (n,), negative = none.
    Groups with fewer than ``k`` scores, those in ``also_hidden`` (bool (n_groups,), see
    :func:`analysis.suppression.suppress`), and their complements within ``parent``, are
    suppressed. A group of one has no interval.
    """
    values = np.asarray(scores, dtype=float)
    codes = as_codes(groups, values.size, n_groups)
    keep = np.isfinite(values) & (codes >= 0)
    values, codes = values[keep], codes[keep]
    counts = group_counts(codes, n_groups)
    sums = np.bincount(codes, weights=values, minlength=n_groups)
    mean = np.full(n_groups, np.nan)
    np.divide(sums, counts, out=mean, where=counts > 0)
    deviations = values - mean[codes]
    squares = np.bincount(codes, weights=deviations**2, minlength=n_groups)
    sd = np.full(n_groups, np.nan)
    np.divide(squares, counts - 1, out=sd, where=counts > 1)
    sd = np.sqrt(sd)
    hidden = suppress(counts, k, parent, also_hidden)
    half = np.full(n_groups, np.nan)
    several = counts > 1
    t = stats.t.isf((1 - confidence) / 2, np.maximum(counts[several] - 1, 1))
    half[several] = t * sd[several] / np.sqrt(counts[several])
    mean[hidden] = np.nan
    sd[hidden] = np.nan
    low = np.clip(mean - half, SCALE_MIN, SCALE_MAX)
    high = np.clip(mean + half, SCALE_MIN, SCALE_MAX)
    # np.clip keeps nan, so hidden and one-person groups stay without an interval.
    return GroupCulture(
        np.where(hidden, -1, counts), mean, sd, low, high, model.level_for(mean), hidden, confidence
    )


@dataclass(frozen=True)
class MaturityIndex:
    """Overall maturity index of bodies, arrays (n_bodies,): nan / 0 where a dimension is missing."""

    score: NDArray[np.float64]
    level: NDArray[np.int8]


def maturity_index(
    model: MaturityModel, culture: ArrayLike, expert_scores: Mapping[str, ArrayLike]
) -> MaturityIndex:
    """Weighted mean of the four dimensions with the model's weights.

    ``culture``: float (n_bodies,) culture score of each body (e.g. ``group_culture(...).mean``
    by organisation); ``expert_scores``: dimension id → float (n_bodies,) expert checklist score
    on 1–5 for every other dimension. A body missing any dimension (nan, or a suppressed culture
    score) has no index: the weights are fixed by the model and not renormalised.
    """
    culture_values = np.atleast_1d(np.asarray(culture, dtype=float))
    total = np.zeros(culture_values.shape)
    for dimension, weight in model.dimension_weights:
        if dimension == CULTURE_DIMENSION:
            values = culture_values
        elif dimension in expert_scores:
            values = np.broadcast_to(np.asarray(expert_scores[dimension], dtype=float), total.shape)
        else:
            values = np.full(total.shape, np.nan)
        finite = values[np.isfinite(values)]
        if finite.size and (finite.min() < SCALE_MIN or finite.max() > SCALE_MAX):
            raise ValueError(f"scores of dimension {dimension} must lie on the 1–5 scale")
        total = total + weight * values
    return MaturityIndex(total, model.level_for(total))
