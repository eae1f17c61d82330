"""Comparisons between two waves of the same campaign series: paired Wilcoxon signed-rank for
identified campaigns (the same people), Mann–Whitney otherwise; by group, vectorised with the
normal approximation. Effects and verdicts as described in :mod:`analysis.compare`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis._arrays import as_codes
from analysis._ranks import grouped_ranks, mann_whitney_pair
from analysis.privacy import DEFAULT_K
from analysis.suppression import group_counts, suppress
from analysis.verdicts import holm, normal_p, verdict


@dataclass(frozen=True)
class WaveComparison:
    """One comparison between two waves (``after`` higher when effect > 0)."""

    test: str  # "wilcoxon" (paired) or "mann_whitney"
    n_before: int  # people (paired: pairs with both values, zero differences included)
    n_after: int
    statistic: float  # W+ (sum of ranks of positive differences) or U of ``after``
    p: float
    effect: float
    effect_name: str  # "matched_pairs_rank_biserial" or "rank_biserial"
    median_before: float
    median_after: float
    verdict: str


def _insufficient(test: str, name: str, n_before: int, n_after: int) -> WaveComparison:
    nan = float("nan")
    return WaveComparison(test, n_before, n_after, nan, nan, nan, name, nan, nan, "insufficient_data")


def compare_waves(
    before: ArrayLike,
    after: ArrayLike,
    paired: bool,
    k: int = DEFAULT_K,
    higher_is_better: bool = True,
) -> WaveComparison:
    """Compare a score between two waves.

    ``paired=True`` (identified campaign): ``before`` and ``after`` are float (n,) aligned by
    person; pairs with a nan on either side are left out; Wilcoxon signed-rank, zero differences
    dropped (Wilcoxon's method), SciPy's default exact/normal choice; effect = matched-pairs
    rank-biserial (W+ − W−) / (W+ + W−). ``paired=False``: two independent samples (nan left
    out); Mann–Whitney, effect = 2U/(n₁n₂) − 1 with U of ``after``.
    Fewer than ``k`` people on a side gives ``insufficient_data``.
    """
    x = np.asarray(before, dtype=float)
    y = np.asarray(after, dtype=float)
    if paired:
        if x.shape != y.shape:
            raise ValueError("paired samples must have the same shape")
        both = np.isfinite(x) & np.isfinite(y)
        x, y = x[both], y[both]
        name = "matched_pairs_rank_biserial"
        if x.size < k:
            return _insufficient("wilcoxon", name, x.size, y.size)
        d = y - x
        d = d[d != 0]
        medians = float(np.median(x)), float(np.median(y))
        if d.size == 0:
            return WaveComparison("wilcoxon", x.size, y.size, 0.0, 1.0, 0.0, name, *medians, "no_difference")
        ranks = stats.rankdata(np.abs(d))
        w_plus = float(ranks[d > 0].sum())
        total = float(ranks.sum())
        effect = (2 * w_plus - total) / total
        p = float(stats.wilcoxon(d, zero_method="wilcox").pvalue) if d.size > 1 else 1.0
        return WaveComparison("wilcoxon", x.size, y.size, w_plus, p, effect, name, *medians,
                              verdict(p, effect, "waves", higher_is_better))
    x, y = x[np.isfinite(x)], y[np.isfinite(y)]
    if min(x.size, y.size) < k:
        return _insufficient("mann_whitney", "rank_biserial", x.size, y.size)
    u, p, effect = mann_whitney_pair(x, y)
    return WaveComparison("mann_whitney", x.size, y.size, u, p, effect, "rank_biserial",
                          float(np.median(x)), float(np.median(y)),
                          verdict(p, effect, "waves", higher_is_better))


@dataclass(frozen=True)
class WavesByGroup:
    """A wave comparison in every group, arrays (n_groups,); nan / −1 where suppressed."""

    test: str
    n_before: NDArray[np.int64]
    n_after: NDArray[np.int64]
    statistic: NDArray[np.float64]
    p: NDArray[np.float64]  # normal approximation with tie correction
    p_holm: NDArray[np.float64]  # Holm over the groups tested
    effect: NDArray[np.float64]
    effect_name: str
    suppressed: NDArray[np.bool_]
    verdicts: tuple[str, ...]  # from p_holm


def compare_waves_by_group(
    before: ArrayLike,
    after: ArrayLike,
    paired: bool,
    groups_before: ArrayLike,
    n_groups: int,
    groups_after: ArrayLike | None = None,
    k: int = DEFAULT_K,
    higher_is_better: bool = True,
) -> WavesByGroup:
    """The comparison of :func:`compare_waves` inside every group (e.g. unit), vectorised.

    Paired: ``before``/``after`` float (n,) aligned by person and ``groups_before`` (n,) their
    group; Wilcoxon signed-rank per group (zeros dropped, normal approximation with tie
    correction, no continuity correction — SciPy's ``method="asymptotic"``). Unpaired: the two
    samples with their own group codes ``groups_before`` and ``groups_after``; Mann–Whitney per
    group (normal approximation, tie and continuity corrections — SciPy's asymptotic method).
    Suppression: a group is hidden when the table group × wave (unpaired) or the pair counts
    (paired) needs it (:func:`analysis.suppression.suppress`).
    """
    x = np.asarray(before, dtype=float)
    y = np.asarray(after, dtype=float)
    if paired:
        codes = as_codes(groups_before, x.size, n_groups)
        if y.shape != x.shape:
            raise ValueError("paired samples must have the same shape")
        keep = np.isfinite(x) & np.isfinite(y) & (codes >= 0)
        pair_counts = group_counts(codes[keep], n_groups)
        hidden = suppress(pair_counts, k)
        keep &= ~hidden[np.maximum(codes, 0)]
        d = (y - x)[keep]
        g = codes[keep]
        nonzero = d != 0
        d, g = d[nonzero], g[nonzero]
        ranks, ties = grouped_ranks(np.abs(d), g, n_groups)
        m = np.bincount(g, minlength=n_groups).astype(float)
        w_plus = np.bincount(g, weights=np.where(d > 0, ranks, 0.0), minlength=n_groups)
        total = m * (m + 1) / 2
        mean = total / 2
        var = m * (m + 1) * (2 * m + 1) / 24 - ties / 48
        ok = (~hidden) & (var > 0)
        z = np.where(ok, (w_plus - mean) / np.sqrt(np.where(ok, var, 1.0)), 0.0)
        p = np.where(ok, normal_p(z), np.nan)
        effect = np.where(ok, (2 * w_plus - total) / np.where(ok, total, 1.0), np.nan)
        statistic = np.where(hidden, np.nan, w_plus)
        n_before = np.where(hidden, -1, pair_counts)
        n_after = n_before.copy()
        test, name = "wilcoxon", "matched_pairs_rank_biserial"
        # A shown group whose differences are all zero: nothing changed.
        unchanged = (~hidden) & (m == 0) & (pair_counts > 0)
        p = np.where(unchanged, 1.0, p)
        effect = np.where(unchanged, 0.0, effect)
    else:
        if groups_after is None:
            raise ValueError("unpaired comparisons need groups_after")
        codes_x = as_codes(groups_before, x.size, n_groups, "groups_before")
        codes_y = as_codes(groups_after, y.size, n_groups, "groups_after")
        keep_x = np.isfinite(x) & (codes_x >= 0)
        keep_y = np.isfinite(y) & (codes_y >= 0)
        n0 = group_counts(codes_x[keep_x], n_groups)
        n1 = group_counts(codes_y[keep_y], n_groups)
        hidden = np.asarray(suppress(np.column_stack([n0, n1]), k).any(axis=1), dtype=bool)
        values = np.concatenate([x[keep_x], y[keep_y]])
        g = np.concatenate([codes_x[keep_x], codes_y[keep_y]])
        is_after = np.concatenate([np.zeros(keep_x.sum()), np.ones(keep_y.sum())])
        ranks, ties = grouped_ranks(values, g, n_groups)
        r1 = np.bincount(g, weights=ranks * is_after, minlength=n_groups)
        a, b = n0.astype(float), n1.astype(float)
        n = a + b
        u1 = r1 - b * (b + 1) / 2
        mean = a * b / 2
        safe_n = np.where(n > 1, n, 2.0)
        var = a * b / 12 * ((n + 1) - ties / (safe_n * (safe_n - 1)))
        # A group present in one wave only cannot be compared (it is not hidden: it has no pair).
        testable = (~hidden) & (a > 0) & (b > 0)
        ok = testable & (var > 0)
        z = np.where(ok, (np.abs(u1 - mean) - 0.5) / np.sqrt(np.where(ok, var, 1.0)), 0.0)
        p = np.where(ok, normal_p(np.maximum(z, 0.0)), np.nan)
        # All values tied within a group: no difference to find.
        p = np.where(testable & (var <= 0), 1.0, p)
        effect = np.where(testable, 2 * u1 / np.where(testable, a * b, 1.0) - 1, np.nan)
        statistic = np.where(hidden, np.nan, u1)
        n_before = np.where(hidden, -1, n0)
        n_after = np.where(hidden, -1, n1)
        test, name = "mann_whitney", "rank_biserial"
    p_holm = holm(p)
    verdicts = tuple(
        verdict(float(q), float(e), "waves", higher_is_better) for q, e in zip(p_holm, effect, strict=True)
    )
    return WavesByGroup(test, n_before, n_after, statistic, p, p_holm, effect, name, hidden, verdicts)
