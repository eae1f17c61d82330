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
* Privacy: suppressed groups (see :mod:`analysis.suppression`) are left out of every test, so no
  result rests on fewer than k people.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import special, stats

from analysis._arrays import as_codes, small_codes
from analysis._ranks import grouped_ranks, mann_whitney_pair
from analysis.privacy import DEFAULT_K
from analysis.suppression import group_counts, suppress
from analysis.verdicts import SIGNIFICANCE, holm, normal_p, omnibus_verdict, verdict

MAX_PAIRWISE = 20


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
            raw.append((a, b, *mann_whitney_pair(x, y), n2, n1))
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
        p_rest = np.where(sd > 0, normal_p(np.maximum(z, 0.0)), 1.0)
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
