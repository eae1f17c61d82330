"""Competency gaps: the level a role requires minus the level a person showed.

``required``: int (n_profiles, n_competences), levels 1..5 from ``role_profiles.yaml``.
``profile``: int (n,), each person's profile code (negative = unknown).
``measured``: int (n, n_competences) from :func:`analysis.testscoring.proficiency_levels`
(0 = not measured).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis._arrays import as_codes
from analysis.privacy import DEFAULT_K
from analysis.suppression import suppress


def competency_gaps(required: ArrayLike, profile: ArrayLike, measured: ArrayLike) -> NDArray[np.float64]:
    """Gap = required − measured per person and competence, float (n, n_competences).

    Positive = below requirement (a training need); zero or negative = requirement met. nan
    where the level was not measured or the person's profile is unknown.
    """
    levels = np.asarray(measured)
    needs = np.asarray(required)
    if levels.ndim != 2 or needs.ndim != 2 or needs.shape[1] != levels.shape[1]:
        raise ValueError("required (n_profiles, C) and measured (n, C) must share C")
    codes = as_codes(profile, levels.shape[0], needs.shape[0], "profile")
    gaps: NDArray[np.float64] = needs[np.maximum(codes, 0)].astype(float) - levels
    gaps[(levels == 0) | (codes < 0)[:, None]] = np.nan
    return gaps


@dataclass(frozen=True)
class GapSummary:
    """Gaps of a grouping, arrays (n_groups, n_competences) unless noted.

    Suppressed groups have counts −1 and nan statistics.
    """

    headcount: NDArray[np.int64]  # (n_groups,) people with at least one measured gap
    n: NDArray[np.int64]  # people measured on the competence
    share_below: NDArray[np.float64]  # share with gap > 0
    mean_gap: NDArray[np.float64]  # mean of max(gap, 0) over the people measured
    mean_positive_gap: NDArray[np.float64]  # mean gap of those below requirement
    priority: NDArray[np.float64]  # Σ positive gaps = mean positive gap × people below
    suppressed: NDArray[np.bool_]  # (n_groups,)


def gap_summary(
    gaps: ArrayLike,
    groups: ArrayLike,
    n_groups: int,
    k: int = DEFAULT_K,
    parent: ArrayLike | None = None,
    also_hidden: ArrayLike | None = None,
) -> GapSummary:
    """Summarise gaps (from :func:`competency_gaps`) by group (unit, position category…).

    ``groups``: int (n,), 0..n_groups-1, negative = no group. ``also_hidden``: bool
    (n_groups,), groups to suppress whatever their size (see :func:`analysis.suppression.suppress`). ``priority`` is the number of
    level-steps the group is short of its requirements on the competence: mean positive gap ×
    people below requirement, which equals mean gap × headcount — rank training by it.
    Groups with fewer than ``k`` people (by headcount), and their complements within
    ``parent``, are suppressed.
    """
    values = np.asarray(gaps, dtype=float)
    if values.ndim != 2:
        raise ValueError("gaps must be a 2-D array (n, n_competences)")
    codes = as_codes(groups, values.shape[0], n_groups)
    keep = codes >= 0
    values, codes = values[keep], codes[keep]
    n_comp = values.shape[1]
    measured = ~np.isnan(values)
    positive = np.where(measured, np.clip(values, 0, None), 0.0)
    anyone = measured.any(axis=1)
    headcount = np.bincount(codes[anyone], minlength=n_groups).astype(np.int64)

    def by_group(weights: NDArray[np.float64]) -> NDArray[np.float64]:
        # One bincount over flattened (group, competence) cells.
        cells = codes[:, None] * n_comp + np.arange(n_comp)
        return np.bincount(cells.ravel(), weights=weights.ravel(),  # type: ignore[return-value]
                           minlength=n_groups * n_comp).reshape(
            n_groups, n_comp
        )

    n = by_group(measured.astype(float))
    below = by_group((positive > 0).astype(float))
    total_gap = by_group(positive)
    hidden = suppress(headcount, k, parent, also_hidden)
    shown = ~hidden[:, None] & (n > 0)
    share_below = np.full(n.shape, np.nan)
    mean_gap = np.full(n.shape, np.nan)
    mean_positive = np.full(n.shape, np.nan)
    np.divide(below, n, out=share_below, where=shown)
    np.divide(total_gap, n, out=mean_gap, where=shown)
    np.divide(total_gap, below, out=mean_positive, where=shown & (below > 0))
    mean_positive[shown & (below == 0)] = 0.0
    priority = np.where(shown, total_gap, np.nan)
    return GapSummary(
        np.where(hidden, -1, headcount),
        np.where(hidden[:, None], -1, n.astype(np.int64)),
        share_below,
        mean_gap,
        mean_positive,
        priority,
        hidden,
    )
