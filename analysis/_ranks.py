"""Rank helpers (private): ranks within groups, vectorised, and one Mann–Whitney test — the core
of the rank tests in compare.py and waves.py."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from analysis._arrays import small_codes


def grouped_ranks(
    values: NDArray[np.float64], groups: NDArray[np.intp], n_groups: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Average ranks (1-based, ties share their mean rank) of ``values`` within each group,
    and the tie term Σ(t³ − t) over the tie runs of each group, shape (n_groups,).

    ``values`` must be finite and ``groups`` codes 0..n_groups-1 (same shape (n,)).
    One sort of all people instead of one sort per group.
    """
    n = values.size
    ranks = np.empty(n)
    if n == 0:
        return ranks, np.zeros(n_groups)
    # By value (the order among equal values does not matter), then a stable radix sort of
    # the group codes: the order of np.lexsort((values, groups)) at a fraction of its cost.
    order = np.argsort(values)
    order = order[np.argsort(small_codes(groups[order], n_groups), kind="stable")]
    v = values[order]
    g = groups[order]
    new_run = np.empty(n, dtype=bool)
    new_run[0] = True
    np.not_equal(v[1:], v[:-1], out=new_run[1:])
    new_group = np.empty(n, dtype=bool)
    new_group[0] = True
    np.not_equal(g[1:], g[:-1], out=new_group[1:])
    new_run |= new_group
    run_start = np.flatnonzero(new_run)
    run_length = np.diff(np.append(run_start, n))
    positions = np.arange(n)
    group_start = np.maximum.accumulate(np.where(new_group, positions, 0))
    run_rank = (run_start - group_start[run_start]) + (run_length + 1) / 2
    ranks[order] = np.repeat(run_rank, run_length)
    lengths = run_length.astype(float)
    ties = np.bincount(g[run_start], weights=lengths**3 - lengths, minlength=n_groups)
    return ranks, ties.astype(np.float64)


def mann_whitney_pair(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, float, float]:
    """(U of y, p, rank-biserial r with y higher > 0), via SciPy's default method."""
    result = stats.mannwhitneyu(y, x, alternative="two-sided")
    u_y = float(result.statistic)
    return u_y, float(result.pvalue), 2 * u_y / (x.size * y.size) - 1
