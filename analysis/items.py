"""Quality of test items: facility, discrimination, distractors.

``correct``: float array (n, n_items) of 1.0 / 0.0 / nan. For item statistics an unanswered
item of a finished attempt counts as wrong, exactly as in scoring, so that the statistics
describe the test people were scored on; how often each item was left unanswered is reported
separately (``omitted``) and flagged. Rows with no answer at all (test not taken) are left out.

Differential item functioning between languages is in :mod:`analysis.dif`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis._arrays import as_matrix, check_binary

TOO_HARD = 0.20  # facility below this: "too_hard"
TOO_EASY = 0.90  # facility above this: "too_easy"
LOW_ITEM_REST_R = 0.20  # corrected point-biserial below this: "low_discrimination"
LOW_INDEX = 0.20  # upper − lower difference below this: "low_discrimination_index" (Ebel)
OFTEN_OMITTED = 0.10  # share unanswered above this: "often_omitted"
NONFUNCTIONAL_SHARE = 0.05  # a distractor chosen by fewer: "nonfunctional" (Haladyna & Downing)
GROUP_SHARE = 0.27  # upper and lower groups: the top and bottom 27 % by total score (Kelley)


@dataclass(frozen=True)
class ItemStatistics:
    """Per-item statistics of a test, arrays of shape (n_items,)."""

    n: int  # people who took the test
    facility: NDArray[np.float64]  # share right (unanswered = wrong)
    omitted: NDArray[np.float64]  # share unanswered
    item_rest_r: NDArray[np.float64]  # corrected point-biserial: item vs total of other items
    upper: NDArray[np.float64]  # facility in the upper 27 % group
    lower: NDArray[np.float64]  # facility in the lower 27 % group
    discrimination_index: NDArray[np.float64]  # upper − lower
    flags: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class DistractorAnalysis:
    """Option-level statistics of choice items; arrays (n_items, max_options), nan-padded."""

    share: NDArray[np.float64]  # share of takers choosing each option
    upper: NDArray[np.float64]  # share choosing it in the upper group
    lower: NDArray[np.float64]  # share choosing it in the lower group
    no_answer: NDArray[np.float64]  # (n_items,) share choosing nothing
    flags: tuple[tuple[tuple[int, str], ...], ...]  # per item: (option, "nonfunctional" | "attracts_able")


def extreme_group_weights(
    total: NDArray[np.float64], share: float = GROUP_SHARE
) -> tuple[NDArray[np.float64], NDArray[np.float64], float]:
    """Weights (n,) of the lower and upper groups and their size ``share × n``.

    People tied at a group's boundary score each get the same fractional weight, so that the
    group holds exactly ``share × n`` people and the result does not depend on row order.
    """
    n = total.size
    size = share * n

    def lower_weights(values: NDArray[np.float64]) -> NDArray[np.float64]:
        ordered = np.sort(values)
        boundary = ordered[max(int(np.ceil(size - 1e-9)) - 1, 0)]
        below = values < boundary
        at = values == boundary
        weights = below.astype(float)
        weights[at] = (size - below.sum()) / at.sum()
        return weights

    if n == 0 or size <= 0:
        return np.zeros(n), np.zeros(n), 0.0
    return lower_weights(total), lower_weights(-total), size


def _taken_rows(correct: NDArray[np.float64]) -> NDArray[np.float64]:
    return correct[~np.all(np.isnan(correct), axis=1)]


def item_statistics(correct: ArrayLike, group_share: float = GROUP_SHARE) -> ItemStatistics:
    """Facility, omission, corrected point-biserial and upper–lower index of every item.

    ``correct``: (n, n_items) 1.0 / 0.0 / nan; see the module docstring for nan. The upper and
    lower groups are the top and bottom ``group_share`` of takers by total score.
    """
    matrix = as_matrix(correct, "correct")
    check_binary(matrix)
    taken = _taken_rows(matrix)
    n, n_items = taken.shape
    omitted = np.isnan(taken).mean(axis=0) if n else np.full(n_items, np.nan)
    scored = np.nan_to_num(taken, nan=0.0)
    total = scored.sum(axis=1)
    if n == 0:
        empty = np.full(n_items, np.nan)
        return ItemStatistics(0, empty, omitted, empty, empty, empty, empty, ((),) * n_items)
    facility = scored.mean(axis=0)
    # Item-rest correlation from sums: cov(x, T − x) and var(T − x), without an n × k copy.
    centred_total = total - total.mean()
    cov_item_total = (scored.T @ centred_total) / n
    var_item = facility * (1 - facility)
    var_total = centred_total @ centred_total / n
    cov_rest = cov_item_total - var_item
    var_rest = var_total - 2 * cov_item_total + var_item
    denominator = np.sqrt(np.clip(var_item * var_rest, 0, None))
    rest_r = np.full(n_items, np.nan)
    np.divide(cov_rest, denominator, out=rest_r, where=denominator > 1e-12)

    lower_w, upper_w, size = extreme_group_weights(total, group_share)
    upper = upper_w @ scored / size
    lower = lower_w @ scored / size
    index = upper - lower
    flags = tuple(
        tuple(
            flag
            for flag, on in (
                ("too_hard", f < TOO_HARD),
                ("too_easy", f > TOO_EASY),
                ("negative_discrimination", r < 0),
                ("low_discrimination", 0 <= r < LOW_ITEM_REST_R),
                ("low_discrimination_index", d < LOW_INDEX),
                ("often_omitted", o > OFTEN_OMITTED),
            )
            if on
        )
        for f, r, d, o in zip(facility, rest_r, index, omitted, strict=True)
    )
    return ItemStatistics(n, facility, omitted, rest_r, upper, lower, index, flags)


def distractor_analysis(
    choices: ArrayLike,
    key: ArrayLike,
    n_options: ArrayLike,
    total: ArrayLike,
    group_share: float = GROUP_SHARE,
) -> DistractorAnalysis:
    """How each option of single-choice and true/false items is chosen.

    ``choices``: int (n, n_items), index of the chosen option, −1 = none. ``key``: int
    (n_items,), index of the right option. ``n_options``: int (n_items,). ``total``: float
    (n,), each person's total test score (nan = did not take the test; such rows are left out).
    The upper/lower groups are those of :func:`item_statistics`.
    Flags: a distractor chosen by fewer than 5 % of takers is "nonfunctional"; a distractor
    chosen more often by the upper group than the lower one "attracts_able" (it may be a second
    right answer or ambiguous).
    """
    chosen = np.asarray(choices)
    keys = np.asarray(key)
    options = np.asarray(n_options)
    totals = np.asarray(total, dtype=float)
    if chosen.ndim != 2 or keys.shape != (chosen.shape[1],) or options.shape != keys.shape:
        raise ValueError("choices (n, n_items), key and n_options (n_items,) do not match")
    if totals.shape != (chosen.shape[0],):
        raise ValueError("total must have one entry per row of choices")
    if np.any((keys < 0) | (keys >= options)):
        raise ValueError("each key must be one of the item's options")
    if chosen.size and (chosen.min() < -1 or np.any(chosen >= options)):
        raise ValueError("choices must be -1 or an option index of the item")
    taken = np.isfinite(totals)
    chosen, totals = chosen[taken], totals[taken]
    n, n_items = chosen.shape
    width = int(options.max()) if options.size else 0
    share = np.full((n_items, width), np.nan)
    upper = share.copy()
    lower = share.copy()
    if n == 0:
        return DistractorAnalysis(share, upper, lower, np.full(n_items, np.nan), ((),) * n_items)
    lower_w, upper_w, size = extreme_group_weights(totals, group_share)
    for option in range(width):
        picked = (chosen == option).astype(float)
        has = options > option
        share[has, option] = picked.mean(axis=0)[has]
        upper[has, option] = (upper_w @ picked / size)[has]
        lower[has, option] = (lower_w @ picked / size)[has]
    no_answer = (chosen == -1).mean(axis=0)
    flags = []
    for item in range(n_items):
        item_flags: list[tuple[int, str]] = []
        for option in range(int(options[item])):
            if option == keys[item]:
                continue
            if share[item, option] < NONFUNCTIONAL_SHARE:
                item_flags.append((option, "nonfunctional"))
            if upper[item, option] > lower[item, option]:
                item_flags.append((option, "attracts_able"))
        flags.append(tuple(item_flags))
    return DistractorAnalysis(share, upper, lower, no_answer, tuple(flags))
