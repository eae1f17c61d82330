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


def _check_responses(responses: NDArray[np.float64]) -> None:
    answered = responses[~np.isnan(responses)]
    if answered.size and (
        answered.min() < SCALE_MIN or answered.max() > SCALE_MAX
        or not np.all(answered == np.round(answered))
    ):
        raise ValueError("responses must be whole numbers 1..5 or nan")


def reverse_key(responses: ArrayLike, reverse: ArrayLike) -> NDArray[np.float64]:
    """Answers with reverse-keyed items flipped (6 − answer); nan stays nan. Returns a copy."""
    matrix = as_matrix(responses, "responses")
    flags = np.asarray(reverse, dtype=bool)
    if flags.shape != (matrix.shape[1],):
        raise ValueError("reverse must have one flag per item")
    _check_responses(matrix)
    keyed = matrix.copy()
    keyed[:, flags] = (SCALE_MIN + SCALE_MAX) - keyed[:, flags]
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
    keyed = reverse_key(responses, reverse)
    scale_of = np.asarray(item_scale)
    if scale_of.shape != (keyed.shape[1],) or (scale_of.size and scale_of.min() < 0):
        raise ValueError("item_scale must hold one scale index >= 0 per item")
    if not 0 < min_share <= 1:
        raise ValueError("min_share must be in (0, 1]")
    n_scales = int(scale_of.max()) + 1 if n_scales is None else n_scales
    membership = np.zeros((keyed.shape[1], n_scales))
    membership[np.arange(scale_of.size), scale_of] = 1.0
    answered = ~np.isnan(keyed)
    # Sums and counts of answered items per scale as two small matrix products.
    sums = np.where(answered, keyed, 0.0) @ membership
    counts = answered.astype(float) @ membership
    items_per_scale = membership.sum(axis=0)
    enough = (counts > 0) & (counts >= min_share * items_per_scale - 1e-9)
    scores = np.full(sums.shape, np.nan)
    np.divide(sums, counts, out=scores, where=enough)
    return scores
