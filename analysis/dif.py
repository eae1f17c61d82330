"""Differential item functioning between language versions (Mantel–Haenszel).

People of two languages are matched on their total test score (the studied item included, as
Holland & Thayer recommend); within each score stratum a 2×2 table (language × right/wrong)
is formed and the tables are pooled:

* ``alpha_mh = Σ A·D/N / Σ B·C/N`` (A, B: reference right, wrong; C, D: focal right, wrong);
  above 1, the item is easier for the reference group than for equally able focal people.
* ETS delta ``Δ = −2.35 ln(alpha_mh)``; negative Δ = the item is harder in the focal language.
* Its standard error from the Robins–Breslow–Greenland variance of ``ln(alpha_mh)``.
* The Mantel–Haenszel chi-square with continuity correction (1 df).

ETS classes (Zwick 2012): **A** (negligible) when |Δ| < 1 or the chi-square is not significant
at 5 %; **C** (large) when |Δ| ≥ 1.5 and |Δ| is significantly greater than 1 (one-sided 5 %:
(|Δ| − 1) / SE > 1.645); **B** (moderate) otherwise. Items in class B or C are flagged.
Unanswered items count as wrong (finished attempts); rows with no answer are left out.
Strata with people of only one language carry no information and drop out of every sum.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis._arrays import as_codes, as_matrix, binary_parts, cell_sums, row_counts

DELTA_SCALE = 2.35
SIGNIFICANCE = 0.05
B_DELTA = 1.0
C_DELTA = 1.5
C_Z = 1.6448536269514722  # one-sided 5 % normal quantile for "significantly greater than 1"


@dataclass(frozen=True)
class DifResult:
    """Mantel–Haenszel DIF of every item between a reference and a focal group."""

    reference: int  # group code
    focal: int
    n_reference: int
    n_focal: int
    alpha_mh: NDArray[np.float64]  # (n_items,) common odds ratio; nan if undefined
    delta: NDArray[np.float64]  # ETS delta; negative = harder for the focal group
    se_delta: NDArray[np.float64]
    chi2: NDArray[np.float64]  # MH chi-square with continuity correction
    p: NDArray[np.float64]
    category: tuple[str, ...]  # "A", "B", "C", or "none" when alpha_mh is undefined

    @property
    def flagged(self) -> NDArray[np.intp]:
        """Indices of items in class B or C."""
        return np.array([i for i, c in enumerate(self.category) if c in ("B", "C")], dtype=np.intp)


def ets_category(delta: float, se_delta: float, p: float) -> str:
    """The ETS A/B/C class of one item from its Δ, SE(Δ) and MH chi-square p-value."""
    if not (np.isfinite(delta) and np.isfinite(p)):
        return "none"
    if abs(delta) < B_DELTA or p >= SIGNIFICANCE:
        return "A"
    if abs(delta) >= C_DELTA and se_delta > 0 and (abs(delta) - B_DELTA) / se_delta > C_Z:
        return "C"
    return "B"


@dataclass(frozen=True)
class MantelHaenszel:
    """Pooled 2×2×K statistics, arrays (n_items,)."""

    alpha_mh: NDArray[np.float64]
    delta: NDArray[np.float64]
    se_delta: NDArray[np.float64]
    chi2: NDArray[np.float64]
    p: NDArray[np.float64]


def mantel_haenszel(a: ArrayLike, b: ArrayLike, c: ArrayLike, d: ArrayLike) -> MantelHaenszel:
    """Mantel–Haenszel statistics from per-stratum counts, each (n_strata,) or (n_strata, n_items).

    ``a``, ``b``: reference right, wrong; ``c``, ``d``: focal right, wrong. Strata lacking
    either group are left out. Undefined odds ratios (a sum of zero) give nan.
    """
    a, b, c, d = (np.asarray(x, dtype=float) for x in (a, b, c, d))
    if a.ndim == 1:
        a, b, c, d = (x[:, None] for x in (a, b, c, d))
    n_ref = a + b
    n_foc = c + d
    total = n_ref + n_foc
    informative = (n_ref > 0) & (n_foc > 0)
    safe_total = np.where(informative, total, 1.0)
    r_k = np.where(informative, a * d / safe_total, 0.0)
    s_k = np.where(informative, b * c / safe_total, 0.0)
    p_k = np.where(informative, (a + d) / safe_total, 0.0)
    q_k = np.where(informative, (b + c) / safe_total, 0.0)
    r_sum, s_sum = r_k.sum(axis=0), s_k.sum(axis=0)
    defined = (r_sum > 0) & (s_sum > 0)
    r_safe, s_safe = np.where(defined, r_sum, 1.0), np.where(defined, s_sum, 1.0)
    alpha = np.where(defined, r_sum / s_safe, np.nan)
    # Robins, Breslow & Greenland (1986) variance of ln(alpha_mh).
    log_var = (
        (p_k * r_k).sum(axis=0) / (2 * r_safe**2)
        + (p_k * s_k + q_k * r_k).sum(axis=0) / (2 * r_safe * s_safe)
        + (q_k * s_k).sum(axis=0) / (2 * s_safe**2)
    )
    delta = np.where(defined, -DELTA_SCALE * np.log(np.where(defined, alpha, 1.0)), np.nan)
    se = np.where(defined, DELTA_SCALE * np.sqrt(log_var), np.nan)

    right_total = a + c
    usable = informative & (total > 1)
    safe = np.where(usable, total, 2.0)
    expected = np.where(usable, n_ref * right_total / safe, 0.0)
    variance = np.where(usable, n_ref * n_foc * right_total * (total - right_total) / (safe**2 * (safe - 1)), 0.0)
    var_sum = variance.sum(axis=0)
    observed = np.where(usable, a, 0.0).sum(axis=0)
    deviation = np.maximum(np.abs(observed - expected.sum(axis=0)) - 0.5, 0.0)
    chi2 = np.full(var_sum.shape, np.nan)
    np.divide(deviation**2, var_sum, out=chi2, where=var_sum > 0)
    p = stats.chi2.sf(chi2, 1)
    return MantelHaenszel(alpha, delta, se, chi2, p)


def _pair_result(
    right: NDArray[np.float64], count: NDArray[np.float64], reference: int, focal: int
) -> DifResult:
    """Pool the per-stratum tables of two groups; ``right`` (groups, strata, items), ``count``
    (groups, strata)."""
    a = right[reference]
    c = right[focal]
    b = count[reference][:, None] - a
    d = count[focal][:, None] - c
    mh = mantel_haenszel(a, b, c, d)
    category = tuple(ets_category(*v) for v in zip(mh.delta, mh.se_delta, mh.p, strict=True))
    return DifResult(
        reference, focal, int(count[reference].sum()), int(count[focal].sum()),
        mh.alpha_mh, mh.delta, mh.se_delta, mh.chi2, mh.p, category,
    )


def _stratum_tables(
    right: NDArray[np.bool_], codes: NDArray[np.intp], n_groups: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Right answers per (group, score stratum, item) and people per (group, stratum), from
    the bool matrix of right answers of the people kept."""
    n_items = right.shape[1]
    n_strata = n_items + 1
    cell = codes * n_strata + row_counts(right)
    sums, count = cell_sums(right, cell, n_groups * n_strata)
    return (sums.astype(float).reshape(n_groups, n_strata, n_items),
            count.astype(float).reshape(n_groups, n_strata))


def mantel_haenszel_dif(
    correct: ArrayLike, group: ArrayLike, n_groups: int, pairs: list[tuple[int, int]] | None = None
) -> list[DifResult]:
    """Mantel–Haenszel DIF of every test item for pairs of groups (e.g. languages).

    ``correct``: float (n, n_items) 1.0 / 0.0 / nan. ``group``: int (n,), code 0..n_groups-1
    (negative = leave out). ``pairs``: (reference, focal) codes; by default every pair (a, b)
    with a < b. Returns one :class:`DifResult` per pair.
    """
    matrix = as_matrix(correct, "correct")
    right, missing = binary_parts(matrix)
    codes = as_codes(group, matrix.shape[0], n_groups, "group")
    keep = (codes >= 0) & (row_counts(missing) < matrix.shape[1])
    if not keep.all():
        right = right[keep]
    if right.shape[0] == 0:
        right_table = np.zeros((n_groups, matrix.shape[1] + 1, matrix.shape[1]))
        count = np.zeros((n_groups, matrix.shape[1] + 1))
    else:
        right_table, count = _stratum_tables(right, codes[keep], n_groups)
    chosen = list(combinations(range(n_groups), 2)) if pairs is None else pairs
    return [_pair_result(right_table, count, ref, foc) for ref, foc in chosen]
