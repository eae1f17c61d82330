"""Comparisons between groups and between waves, with effect sizes and verdict codes.

Values are per-person scores (e.g. the culture score, a scale score), float (n,); nan = no score
(left out). Groups are int codes (n,), 0..n_groups-1, negative = no group.

* Between groups: Kruskal–Wallis (effect: epsilon² = H / (N − 1), see
  :func:`omnibus_verdict`); after a significant omnibus,
  Mann–Whitney between every pair of groups with Holm's correction when there are at most
  ``max_pairwise`` groups, otherwise each group against all the others (Holm-corrected) — with
  2,000 units, 2 million pairs would be unreadable and mostly empty of power.
* Between waves: paired Wilcoxon signed-rank for identified campaigns (the same people),
  Mann–Whitney otherwise; by group, vectorised with the normal approximation.
* Effect sizes are rank-biserial correlations in −1..1 (matched-pairs for Wilcoxon); positive =
  the second sample (the later wave, the named group) is higher.
* Verdict codes: ``no_difference`` when p ≥ 0.05 (after Holm where several tests are made);
  otherwise ``<magnitude>_<direction>`` with magnitude from |r| (Romano et al. 2006 thresholds
  for Cliff's delta, which the rank-biserial r equals): negligible < 0.147 ≤ small < 0.33 ≤
  moderate < 0.474 ≤ large; direction ``improvement``/``decline`` between waves (by
  ``higher_is_better``), ``difference`` between groups (the sign of r says which is higher).
  ``insufficient_data`` when a side has fewer than k people or a group is suppressed.
* Privacy: suppressed groups (see :mod:`analysis.privacy`) are left out of every test, so no
  result rests on fewer than k people.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from analysis._arrays import as_codes, small_codes
from analysis._ranks import grouped_ranks
from analysis.privacy import DEFAULT_K, group_counts, suppress

SIGNIFICANCE = 0.05
MAGNITUDES = ((0.474, "large"), (0.33, "moderate"), (0.147, "small"), (0.0, "negligible"))
OMNIBUS_MAGNITUDES = ((0.14, "large"), (0.06, "moderate"), (0.01, "small"), (0.0, "negligible"))
MAX_PAIRWISE = 20


def verdict(p: float, effect: float, kind: str = "waves", higher_is_better: bool = True) -> str:
    """Verdict code from a p-value and a rank-biserial effect (see the module docstring).

    ``kind``: "waves" (improvement/decline) or "groups" (difference).
    """
    if not (np.isfinite(p) and np.isfinite(effect)):
        return "insufficient_data"
    if p >= SIGNIFICANCE:
        return "no_difference"
    magnitude = next(name for bound, name in MAGNITUDES if abs(effect) >= bound)
    if kind == "groups":
        return f"{magnitude}_difference"
    better = (effect > 0) == higher_is_better
    return f"{magnitude}_{'improvement' if better else 'decline'}"


def omnibus_verdict(p: float, epsilon_squared: float) -> str:
    """Verdict code of a Kruskal–Wallis test: ``no_difference`` when p ≥ 0.05, otherwise
    ``<magnitude>_difference`` with epsilon² read on Cohen's eta² conventions: negligible
    < 0.01 ≤ small < 0.06 ≤ moderate < 0.14 ≤ large."""
    if not (np.isfinite(p) and np.isfinite(epsilon_squared)):
        return "insufficient_data"
    if p >= SIGNIFICANCE:
        return "no_difference"
    magnitude = next(name for bound, name in OMNIBUS_MAGNITUDES if epsilon_squared >= bound)
    return f"{magnitude}_difference"


def holm(p: ArrayLike) -> NDArray[np.float64]:
    """Holm–Bonferroni adjusted p-values (nan entries are not counted as tests)."""
    values = np.asarray(p, dtype=float)
    adjusted = np.full(values.shape, np.nan)
    valid = np.flatnonzero(np.isfinite(values))
    m = valid.size
    if m == 0:
        return adjusted
    order = valid[np.argsort(values[valid], kind="stable")]
    scaled = values[order] * (m - np.arange(m))
    adjusted[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return adjusted


def _normal_p(z: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.minimum(2 * stats.norm.sf(np.abs(z)), 1.0)


@dataclass(frozen=True)
class Omnibus:
    """Kruskal–Wallis across the groups that are shown."""

    statistic: float  # H, tie-corrected
    df: int
    p: float
    epsilon_squared: float
    n: int
    verdict: str  # see omnibus_verdict


@dataclass(frozen=True)
class PairComparison:
    """Mann–Whitney between two groups (``second`` higher when effect > 0)."""

    first: int  # group code
    second: int  # group code, or −1 for "all other groups"
    n_first: int
    n_second: int
    u: float  # U of the second sample
    p: float
    p_holm: float
    effect: float  # rank-biserial r
    effect_name: str
    verdict: str


@dataclass(frozen=True)
class GroupComparison:
    """Everything the comparison page shows for one grouping."""

    counts: NDArray[np.int64]  # (n_groups,) people with a value; −1 where suppressed
    medians: NDArray[np.float64]  # (n_groups,) nan where suppressed or empty
    suppressed: NDArray[np.bool_]
    omnibus: Omnibus
    pairs: tuple[PairComparison, ...]  # pairwise, or each group vs the rest
    mode: str  # "pairwise", "versus_rest", or "none" (omnibus not significant)


def _group_medians(values: NDArray[np.float64], codes: NDArray[np.intp], n_groups: int) -> NDArray[np.float64]:
    # By value, then a stable radix sort of the codes (= np.lexsort((values, codes))).
    order = np.argsort(values)
    order = order[np.argsort(small_codes(codes[order], n_groups), kind="stable")]
    counts = np.bincount(codes, minlength=n_groups)
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    sorted_values = values[order]
    medians = np.full(n_groups, np.nan)
    has = counts > 0
    low = starts[has] + (counts[has] - 1) // 2
    high = starts[has] + counts[has] // 2
    medians[has] = (sorted_values[low] + sorted_values[high]) / 2
    return medians


def _mann_whitney_pair(x: NDArray[np.float64], y: NDArray[np.float64]) -> tuple[float, float, float]:
    """(U of y, p, rank-biserial r with y higher > 0), via SciPy's default method."""
    result = stats.mannwhitneyu(y, x, alternative="two-sided")
    u_y = float(result.statistic)
    return u_y, float(result.pvalue), 2 * u_y / (x.size * y.size) - 1


def _pairwise_mann_whitney(
    values: NDArray[np.float64], codes: NDArray[np.intp], present: NDArray[np.intp]
) -> list[tuple[int, int, float, float, float, int, int]]:
    """:func:`_mann_whitney_pair` of every pair (a, b), a < b, of the ``present`` groups from
    one sort of all values: (a, b, U of b, p, rank-biserial r, n_a, n_b) per pair.

    Per distinct value, the people of each group there; U of b = Σ over b's people of (a's
    people below + half of a's people tied). The same numbers as SciPy's asymptotic method
    (tie and continuity corrections); a pair where SciPy would take its exact method (a side
    of at most 8 and no ties) is passed to SciPy.
    """
    order = np.argsort(values)
    v = values[order]
    new_value = np.empty(v.size, dtype=bool)
    new_value[:1] = True
    np.not_equal(v[1:], v[:-1], out=new_value[1:])
    value_id = np.cumsum(new_value) - 1
    n_values = int(value_id[-1]) + 1 if v.size else 0
    column = np.full(int(codes.max()) + 1 if codes.size else 0, -1, dtype=np.intp)
    column[present] = np.arange(present.size)
    slot = column[codes[order]]
    # counts[value, group]: people of each present group at each distinct value.
    counts = np.bincount(value_id * present.size + slot, minlength=n_values * present.size)
    counts = counts.reshape(n_values, present.size).astype(float)
    below = np.cumsum(counts, axis=0) - counts
    sizes = counts.sum(axis=0)
    raw = []
    for i, j in combinations(range(present.size), 2):
        a, b = int(present[i]), int(present[j])
        n1, n2 = int(sizes[j]), int(sizes[i])  # SciPy's first sample is b
        t = counts[:, i] + counts[:, j]
        tie_term = float(np.sum(t**3 - t))
        if min(n1, n2) <= 8 and not np.any(t > 1):
            x = values[codes == a]
            y = values[codes == b]
            raw.append((a, b, *_mann_whitney_pair(x, y), n2, n1))
            continue
        u_b = float(counts[:, j] @ (below[:, i] + 0.5 * counts[:, i]))
        u = max(u_b, n1 * n2 - u_b)
        n = n1 + n2
        s = np.sqrt(n1 * n2 / 12 * ((n + 1) - tie_term / (n * (n - 1))))
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.float64(u - n1 * n2 / 2 - 0.5) / s
        p = float(np.clip(special.ndtr(-z) * 2, 0.0, 1.0))
        raw.append((a, b, u_b, p, 2 * u_b / (n1 * n2) - 1, n2, n1))
    return raw


def compare_groups(
    values: ArrayLike,
    groups: ArrayLike,
    n_groups: int,
    k: int = DEFAULT_K,
    parent: ArrayLike | None = None,
    max_pairwise: int = MAX_PAIRWISE,
    also_hidden: ArrayLike | None = None,
) -> GroupComparison:
    """Kruskal–Wallis across groups, then Holm-corrected Mann–Whitney comparisons.

    Suppressed groups (fewer than ``k`` people, those in ``also_hidden``, plus complements within
    ``parent``) are left out of every test. Pairwise when at most ``max_pairwise`` groups are shown, otherwise each
    group against the rest; follow-ups only after a significant omnibus.
    """
    data = np.asarray(values, dtype=float)
    codes = as_codes(groups, data.size, n_groups)
    keep = np.isfinite(data) & (codes >= 0)
    data, codes = data[keep], codes[keep]
    counts = group_counts(codes, n_groups)
    hidden = suppress(counts, k, parent, also_hidden)
    shown = ~hidden[codes]
    data, codes = data[shown], codes[shown]
    counts = np.where(hidden, -1, counts)
    medians = np.where(hidden, np.nan, _group_medians(data, codes, n_groups))

    n = data.size
    sizes = np.bincount(codes, minlength=n_groups).astype(float)
    present = np.flatnonzero(sizes > 0)
    ranks, ties = grouped_ranks(data, np.zeros(n, dtype=np.intp), 1)
    if present.size < 2 or n < 3 or ties[0] >= n**3 - n:
        omnibus = Omnibus(float("nan"), max(int(present.size) - 1, 0), float("nan"), float("nan"), n,
                          "insufficient_data")
        return GroupComparison(counts, medians, hidden, omnibus, (), "none")
    rank_sums = np.bincount(codes, weights=ranks, minlength=n_groups)
    h = 12 / (n * (n + 1)) * np.sum(rank_sums[present] ** 2 / sizes[present]) - 3 * (n + 1)
    h /= 1 - ties[0] / (n**3 - n)
    df = int(present.size - 1)
    p = float(stats.chi2.sf(h, df))
    epsilon = float(h / (n - 1))
    omnibus = Omnibus(float(h), df, p, epsilon, n, omnibus_verdict(p, epsilon))
    if p >= SIGNIFICANCE:
        return GroupComparison(counts, medians, hidden, omnibus, (), "none")

    if present.size <= max_pairwise:
        mode = "pairwise"
        found = _pairwise_mann_whitney(data, codes, present)
        raw = [r[:5] for r in found]
        sizes_of = [(r[5], r[6]) for r in found]
    else:
        mode = "versus_rest"
        # Each group against all others, from the one global ranking.
        n_g = sizes[present]
        n_rest = n - n_g
        u_group = rank_sums[present] - n_g * (n_g + 1) / 2
        mean = n_g * n_rest / 2
        sd = np.sqrt(n_g * n_rest / 12 * ((n + 1) - ties[0] / (n * (n - 1))))
        z = np.where(sd > 0, (np.abs(u_group - mean) - 0.5) / np.where(sd > 0, sd, 1.0), 0.0)
        p_rest = np.where(sd > 0, _normal_p(np.maximum(z, 0.0)), 1.0)
        effect = 2 * u_group / (n_g * n_rest) - 1
        # Reported as "rest (first = −1) vs group (second)": positive = the group is higher.
        raw = [(-1, int(g), float(u), float(pv), float(e))
               for g, u, pv, e in zip(present, u_group, p_rest, effect, strict=True)]
        sizes_of = [(int(n - sizes[g]), int(sizes[g])) for g in present]
    adjusted = holm([r[3] for r in raw])
    pairs = tuple(
        PairComparison(int(a), int(b), n1, n2, u, pv, float(ph), e, "rank_biserial", verdict(float(ph), e, "groups"))
        for (a, b, u, pv, e), (n1, n2), ph in zip(raw, sizes_of, adjusted, strict=True)
    )
    return GroupComparison(counts, medians, hidden, omnibus, pairs, mode)


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
    u, p, effect = _mann_whitney_pair(x, y)
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
    (paired) needs it (:func:`analysis.privacy.suppress`).
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
        p = np.where(ok, _normal_p(z), np.nan)
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
        hidden = suppress(np.column_stack([n0, n1]), k).any(axis=1)
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
        p = np.where(ok, _normal_p(np.maximum(z, 0.0)), np.nan)
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
