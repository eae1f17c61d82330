"""The expert dimensions of digital maturity: scores from criterion ratings, the strongest and
weakest criteria, and means of bodies by group.

An assessor rates each criterion that applies to a body on 1–5 (the rubric of
``expert_checklists.yaml``); a dimension's score is the weighted mean of its ratings with the
criterion weights of the maturity model for the body's context. Nothing here knows criterion
ids or files: callers pass levels and weights in the same order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.model import WEIGHT_TOLERANCE

SCALE_MIN, SCALE_MAX = 1, 5


def dimension_score(levels: ArrayLike, weights: ArrayLike) -> float:
    """Weighted mean of criterion ratings: Σ wᵢ·levelᵢ / Σ wᵢ, on the 1–5 scale.

    ``levels``: float (n_criteria,), each 1..5, nan = not rated; ``weights``: float
    (n_criteria,), positive, summing to 1. A dimension with any criterion not rated has no
    score (nan): a partial checklist is not silently averaged over the criteria rated.
    ValueError for ratings outside 1–5, non-positive weights or weights not summing to 1.
    """
    values = np.asarray(levels, dtype=float)
    w = np.asarray(weights, dtype=float)
    if values.shape != w.shape or values.ndim != 1 or values.size == 0:
        raise ValueError("levels and weights are (n_criteria,), at least one criterion")
    if np.any(w <= 0) or abs(float(w.sum()) - 1.0) > WEIGHT_TOLERANCE:
        raise ValueError("criterion weights must be positive and sum to 1")
    finite = values[np.isfinite(values)]
    if finite.size and (finite.min() < SCALE_MIN or finite.max() > SCALE_MAX):
        raise ValueError("criterion ratings must lie on the 1–5 scale")
    if finite.size < values.size:
        return float("nan")
    return float(np.dot(w, values) / w.sum())


@dataclass(frozen=True)
class Extremes:
    """Positions of the strongest and the weakest criteria (into the arrays given)."""

    strengths: tuple[int, ...]
    weaknesses: tuple[int, ...]


def extremes(levels: ArrayLike, weights: ArrayLike, count: int = 3) -> Extremes:
    """The ``count`` highest- and lowest-rated criteria.

    ``levels``: float (n,) ratings 1..5, nan = not rated (left out); ``weights``: float (n,),
    the weight of each criterion in its dimension. Strengths are the highest ratings, weaknesses
    the lowest; ties go to the criterion with the larger weight (it moves its dimension more),
    then to the earlier one. A criterion rated at the lowest level given is never a strength,
    nor one at the highest a weakness, so a body rated alike on everything has neither.
    """
    values = np.asarray(levels, dtype=float)
    w = np.asarray(weights, dtype=float)
    if values.shape != w.shape or values.ndim != 1:
        raise ValueError("levels and weights are (n,)")
    rated = np.flatnonzero(np.isfinite(values))
    if rated.size == 0:
        return Extremes((), ())
    low, high = values[rated].min(), values[rated].max()
    position = np.arange(values.size)
    # lexsort: the last key is the primary one.
    by_high = rated[np.lexsort((position[rated], -w[rated], -values[rated]))]
    by_low = rated[np.lexsort((position[rated], -w[rated], values[rated]))]
    strengths = tuple(int(i) for i in by_high if values[i] > low)[:count]
    weaknesses = tuple(int(i) for i in by_low if values[i] < high)[:count]
    return Extremes(strengths, weaknesses)


@dataclass(frozen=True)
class GroupMeans:
    """Means of bodies per group, arrays: ``n`` int (n_groups, m), the bodies with a value in
    each column; ``mean`` float (n_groups, m), nan where no body of the group has one."""

    n: NDArray[np.int64]
    mean: NDArray[np.float64]


def group_means(values: ArrayLike, groups: ArrayLike, n_groups: int) -> GroupMeans:
    """Mean of each column over the bodies of each group.

    ``values``: float (n_bodies, m), nan = the body has no value (left out of that column);
    ``groups``: int (n_bodies,), 0..n_groups−1, negative = in no group. The values are figures
    about whole bodies (expert scores, a body's released culture score), not about people, so
    no group size applies here; a culture score must already have passed the gate.
    """
    data = np.asarray(values, dtype=float)
    if data.ndim != 2:
        raise ValueError("values are (n_bodies, m)")
    codes = np.asarray(groups, dtype=np.intp)
    if codes.shape != (data.shape[0],):
        raise ValueError("one group per body")
    keep = (codes >= 0) & (codes < n_groups)
    data, codes = data[keep], codes[keep]
    present = np.isfinite(data)
    n = np.zeros((n_groups, data.shape[1]), dtype=np.int64)
    sums = np.zeros((n_groups, data.shape[1]))
    np.add.at(n, codes, present.astype(np.int64))
    np.add.at(sums, codes, np.where(present, data, 0.0))
    mean = np.full(sums.shape, np.nan)
    np.divide(sums, n, out=mean, where=n > 0)
    return GroupMeans(n, mean)
