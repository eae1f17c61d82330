"""Self-rated against tested levels: over- and under-confidence per competence.

``self_rated`` and ``tested``: int (n, n_competences), levels 1..5, 0 = none (no self-rating,
or the competence was not measured). A pair counts only where both are present.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray


def confidence_gaps(self_rated: ArrayLike, tested: ArrayLike) -> NDArray[np.float64]:
    """Self-rated minus tested level, float (n, n_competences): > 0 over-confident, < 0
    under-confident, 0 accurate; nan where either level is missing."""
    rated = np.asarray(self_rated, dtype=float)
    measured = np.asarray(tested, dtype=float)
    if rated.shape != measured.shape:
        raise ValueError("self_rated and tested need the same shape")
    return np.where((rated > 0) & (measured > 0), rated - measured, np.nan)


@dataclass(frozen=True)
class ConfidenceSummary:
    """Per competence, arrays (n_competences,): people with both levels, and the shares of
    them who rated themselves above (over), at (accurate) and below (under) their tested level;
    ``mean_gap`` the mean self-rated minus tested level. Shares are nan where n is 0."""

    n: NDArray[np.int64]
    over: NDArray[np.float64]
    accurate: NDArray[np.float64]
    under: NDArray[np.float64]
    mean_gap: NDArray[np.float64]


def confidence_summary(gaps: ArrayLike) -> ConfidenceSummary:
    """Shares over-, accurately and under-confident of the rows of ``gaps`` (from
    :func:`confidence_gaps`)."""
    values = np.asarray(gaps, dtype=float)
    present = ~np.isnan(values)
    n = present.sum(axis=0).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        over = np.where(n > 0, np.sum(values > 0, axis=0) / n, np.nan)
        under = np.where(n > 0, np.sum(values < 0, axis=0) / n, np.nan)
        accurate = np.where(n > 0, np.sum(values == 0, axis=0) / n, np.nan)
        mean_gap = np.where(n > 0, np.nansum(values, axis=0) / np.maximum(n, 1), np.nan)
    return ConfidenceSummary(n, over, accurate, under, mean_gap)
