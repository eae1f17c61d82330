"""Reliability of survey scales: Cronbach's alpha with Feldt's interval, alpha if item
deleted, and corrected item-total (item-rest) correlations.

Missing answers: listwise — a respondent enters a scale's reliability only when every item of
that scale is answered (the usual choice, and the one of R's ``psych::alpha(use="complete.obs")``;
pairwise covariances can give a matrix no set of people could produce).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis._arrays import as_matrix
from analysis.scales import reverse_key

LOW_ALPHA = 0.70  # a scale below this is flagged "low_alpha"
WEAK_ITEM_REST_R = 0.30  # an item whose item-rest correlation is below this: "weak_item"
ALPHA_GAIN_IF_DELETED = 0.01  # deleting the item raises alpha by at least this: "raises_alpha"


@dataclass(frozen=True)
class Alpha:
    """Cronbach's alpha and its two-sided Feldt confidence interval."""

    alpha: float
    low: float
    high: float
    n: int  # respondents with every item answered
    n_items: int
    confidence: float


@dataclass(frozen=True)
class ScaleReliability:
    """Reliability of one scale and the check of each of its items (arrays in item order)."""

    scale: int
    items: NDArray[np.intp]  # column indices of the scale's items in ``responses``
    alpha: Alpha
    alpha_if_deleted: NDArray[np.float64]
    item_rest_r: NDArray[np.float64]
    flags: tuple[str, ...]  # scale flags: "low_alpha"
    item_flags: tuple[tuple[str, ...], ...]  # per item: "weak_item", "raises_alpha"


def _complete_rows(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    complete = ~np.isnan(matrix).any(axis=1)
    # No copy when nothing is missing (a 100,000-row copy costs more than the statistics).
    return matrix if complete.all() else matrix[complete]


def _alpha_from_cov(cov: NDArray[np.float64]) -> float:
    k = cov.shape[0]
    total = cov.sum()
    # A total score that does not vary (up to rounding) leaves alpha undefined.
    if k < 2 or not total > 1e-10 * max(np.trace(cov), 1e-300):
        return float("nan")
    return float(k / (k - 1) * (1 - np.trace(cov) / total))


def feldt_interval(alpha: float, n: int, n_items: int, confidence: float = 0.95) -> tuple[float, float]:
    """Feldt's (1965) interval: (1 − alpha) / (1 − true alpha) ~ F(n − 1, (n − 1)(k − 1))."""
    if not np.isfinite(alpha) or n < 2 or n_items < 2:
        return float("nan"), float("nan")
    tail = (1 - confidence) / 2
    df1, df2 = n - 1, (n - 1) * (n_items - 1)
    low = 1 - (1 - alpha) * stats.f.isf(tail, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(tail, df1, df2)
    return float(low), float(high)


def _alpha_result(cov: NDArray[np.float64], n: int, confidence: float) -> Alpha:
    value = _alpha_from_cov(cov) if n >= 2 else float("nan")
    low, high = feldt_interval(value, n, cov.shape[0], confidence)
    return Alpha(value, low, high, n, cov.shape[0], confidence)


def _covariance(complete: NDArray[np.float64]) -> NDArray[np.float64]:
    n = complete.shape[0]
    if n < 2:
        return np.full((complete.shape[1], complete.shape[1]), np.nan)
    # From the cross-product instead of a centred copy: one pass, no n × k temporary. Items
    # are bounded (1–5 or 0/1), so the subtraction loses nothing that matters (tests compare
    # with published values to 1e-12).
    means = complete.mean(axis=0)
    cov: NDArray[np.float64] = (complete.T @ complete - n * np.outer(means, means)) / (n - 1)
    return cov


def cronbach_alpha(matrix: ArrayLike, confidence: float = 0.95) -> Alpha:
    """Cronbach's alpha of the items (columns) of ``matrix`` (n_respondents, n_items).

    Rows with a missing answer are left out (listwise). Alpha is nan when fewer than two
    complete rows remain or the total score does not vary. Needs at least two items.
    """
    data = as_matrix(matrix, "matrix")
    if data.shape[1] < 2:
        raise ValueError("alpha needs at least two items")
    complete = _complete_rows(data)
    return _alpha_result(_covariance(complete), complete.shape[0], confidence)


def _deleted_and_rest(cov: NDArray[np.float64]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Alpha if item deleted and item-rest correlation of every item, from the covariances."""
    k = cov.shape[0]
    variances = np.diag(cov)
    row_sums = cov.sum(axis=1)
    total = cov.sum()
    rest_variance = total - 2 * row_sums + variances
    rest_cov = row_sums - variances
    rest_r = np.full(k, np.nan)
    denominator = np.sqrt(np.clip(variances * rest_variance, 0, None))
    np.divide(rest_cov, denominator, out=rest_r, where=denominator > 0)
    deleted = np.full(k, np.nan)
    if k >= 3:
        sum_var_rest = variances.sum() - variances
        np.divide(sum_var_rest, rest_variance, out=deleted, where=rest_variance > 0)
        deleted = np.where(rest_variance > 0, (k - 1) / (k - 2) * (1 - deleted), np.nan)
    return deleted, rest_r


def alpha_if_deleted(matrix: ArrayLike) -> NDArray[np.float64]:
    """Alpha of the other items when each item is left out, float (n_items,); listwise rows.

    nan when fewer than two items would remain.
    """
    complete = _complete_rows(as_matrix(matrix, "matrix"))
    return _deleted_and_rest(_covariance(complete))[0]


def item_rest_correlations(matrix: ArrayLike) -> NDArray[np.float64]:
    """Corrected item-total correlation: each item with the sum of the other items, float
    (n_items,); listwise rows; nan when the item or the rest does not vary."""
    complete = _complete_rows(as_matrix(matrix, "matrix"))
    return _deleted_and_rest(_covariance(complete))[1]


def scale_reliability(
    responses: ArrayLike,
    item_scale: ArrayLike,
    reverse: ArrayLike,
    n_scales: int | None = None,
    confidence: float = 0.95,
) -> list[ScaleReliability]:
    """Alpha, its interval, alpha if deleted, item-rest r and flags for every scale.

    Inputs as in :mod:`analysis.scales`; reverse-keyed items are flipped first (otherwise they
    would correlate negatively with their scale). Scales with fewer than two items are skipped.
    """
    keyed = reverse_key(responses, reverse)
    scale_of = np.asarray(item_scale)
    n_scales = int(scale_of.max()) + 1 if n_scales is None else n_scales
    results = []
    for scale in range(n_scales):
        items = np.flatnonzero(scale_of == scale)
        if items.size < 2:
            continue
        complete = _complete_rows(keyed[:, items])
        cov = _covariance(complete)
        alpha = _alpha_result(cov, complete.shape[0], confidence)
        deleted, rest_r = _deleted_and_rest(cov)
        item_flags = tuple(
            tuple(
                flag
                for flag, on in (
                    ("weak_item", r < WEAK_ITEM_REST_R),
                    ("raises_alpha", d >= alpha.alpha + ALPHA_GAIN_IF_DELETED),
                )
                if on
            )
            for r, d in zip(rest_r, deleted, strict=True)
        )
        flags = ("low_alpha",) if alpha.alpha < LOW_ALPHA else ()
        results.append(ScaleReliability(scale, items, alpha, deleted, rest_r, flags, item_flags))
    return results
