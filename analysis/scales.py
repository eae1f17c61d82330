"""Survey scale scores on the 1–5 agreement scale.

``responses``: float array (n_respondents, n_items), answers 1..5, ``nan`` = not answered.
``item_scale``: int array (n_items,), the index of each item's scale in the questionnaire's
list of scale ids. ``reverse``: bool array (n_items,), True for reverse-keyed items.

Missing answers: a scale score is the mean of the answered items of the scale (after reverse
keying), and is given only when at least ``min_share`` of the scale's items are answered
(``proficiency_rule.missing_scale_items`` of the maturity model, 0.5 by default); otherwise nan.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis._arrays import as_matrix

SCALE_MIN, SCALE_MAX = 1, 5


CHECK_BLOCK_ELEMENTS = 1 << 18  # 2 MiB of float64: each block is checked while in cache


def _check_responses(responses: NDArray[np.float64]) -> None:
    rows = max(CHECK_BLOCK_ELEMENTS // max(responses.shape[1], 1), 1)
    middle, reach = (SCALE_MIN + SCALE_MAX) / 2, (SCALE_MAX - SCALE_MIN) / 2
    for start in range(0, responses.shape[0], rows):
        block = responses[start:start + rows]
        # Out of range (nan compares False), or not a whole number (rint(x) != x also holds
        # for nan, so such entries must be exactly the nan ones).
        if (
            np.any(np.abs(block - middle) > reach)
            or np.count_nonzero(np.rint(block) != block) != np.count_nonzero(np.isnan(block))
        ):
            raise ValueError("responses must be whole numbers 1..5 or nan")


def _keying(reverse: NDArray[np.bool_]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per item, sign and offset such that keyed = sign · answer + offset."""
    return np.where(reverse, -1.0, 1.0), np.where(reverse, float(SCALE_MIN + SCALE_MAX), 0.0)


def _flags(matrix: NDArray[np.float64], reverse: ArrayLike) -> NDArray[np.bool_]:
    flags = np.asarray(reverse, dtype=bool)
    if flags.shape != (matrix.shape[1],):
        raise ValueError("reverse must have one flag per item")
    return flags


def reverse_key(responses: ArrayLike, reverse: ArrayLike) -> NDArray[np.float64]:
    """Answers with reverse-keyed items flipped (6 − answer); nan stays nan. Returns a copy."""
    matrix = as_matrix(responses, "responses")
    flags = _flags(matrix, reverse)
    _check_responses(matrix)
    sign, offset = _keying(flags)
    # Whole numbers times ±1 plus 0 or 6: exact, and one multiply-add over the matrix instead
    # of a copy and a fancy-indexed write.
    keyed = np.multiply(matrix, sign)
    keyed += offset
    return keyed


def scale_scores(
    responses: ArrayLike,
    item_scale: ArrayLike,
    reverse: ArrayLike,
    n_scales: int | None = None,
    min_share: float = 0.5,
) -> NDArray[np.float64]:
    """Score of every respondent on every scale, float array (n_respondents, n_scales) on 1–5.

    ``n_scales`` defaults to ``max(item_scale) + 1``; a scale without items scores nan.
    A score is nan when fewer than ``min_share`` of the scale's items are answered.
    """
    matrix = as_matrix(responses, "responses")
    flags = _flags(matrix, reverse)
    _check_responses(matrix)
    scale_of = np.asarray(item_scale)
    if scale_of.shape != (matrix.shape[1],) or (scale_of.size and scale_of.min() < 0):
        raise ValueError("item_scale must hold one scale index >= 0 per item")
    if not 0 < min_share <= 1:
        raise ValueError("min_share must be in (0, 1]")
    n_scales = int(scale_of.max()) + 1 if n_scales is None else n_scales
    membership = np.zeros((matrix.shape[1], n_scales))
    membership[np.arange(scale_of.size), scale_of] = 1.0
    answered = ~np.isnan(matrix)
    # Reverse keying folded into the products (Σ (6 − x) = 6·count − Σ x): no keyed copy.
    # Sums of whole numbers are exact in any order.
    sign, offset = _keying(flags)
    sums = np.where(answered, matrix, 0.0) @ (membership * sign[:, None])
    by_answer = answered.astype(float) @ np.hstack([membership * offset[:, None], membership])
    sums += by_answer[:, :n_scales]
    counts = by_answer[:, n_scales:]
    items_per_scale = membership.sum(axis=0)
    enough = (counts > 0) & (counts >= min_share * items_per_scale - 1e-9)
    scores = np.full(sums.shape, np.nan)
    np.divide(sums, counts, out=scores, where=enough)
    return scores
