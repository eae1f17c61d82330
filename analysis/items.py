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

from analysis._arrays import as_matrix, binary_parts, cell_sums, row_counts

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
        weights: NDArray[np.float64] = below.astype(float)
        weights[at] = (size - below.sum()) / at.sum()
        return weights

    if n == 0 or size <= 0:
        return np.zeros(n), np.zeros(n), 0.0
    return lower_weights(total), lower_weights(-total), size


def _value_weights(counts: NDArray[np.int64], size: float) -> NDArray[np.float64]:
    """The weights of :func:`extreme_group_weights`' lower group for people grouped by value:
    ``counts`` (m,) people at each distinct value in ascending order; weights (m,)."""
    weights = np.zeros(counts.size)
    n = int(counts.sum())
    if n == 0 or size <= 0:
        return weights
    cumulative = np.cumsum(counts)
    # The boundary is the value at this position of the sorted values.
    position = max(int(np.ceil(size - 1e-9)) - 1, 0)
    at = int(np.searchsorted(cumulative, position, side="right"))
    below = int(cumulative[at] - counts[at])
    weights[:at] = 1.0
    weights[at] = (size - below) / counts[at]
    return weights


def item_statistics(correct: ArrayLike, group_share: float = GROUP_SHARE) -> ItemStatistics:
    """Facility, omission, corrected point-biserial and upper–lower index of every item.

    ``correct``: (n, n_items) 1.0 / 0.0 / nan; see the module docstring for nan. The upper and
    lower groups are the top and bottom ``group_share`` of takers by total score.
    """
    matrix = as_matrix(correct, "correct")
    right, missing = binary_parts(matrix)
    n_items = matrix.shape[1]
    taken = row_counts(missing) < n_items
    if not taken.all():
        right, missing = right[taken], missing[taken]
    n = right.shape[0]
    if n == 0:
        empty = np.full(n_items, np.nan)
        return ItemStatistics(0, empty, np.full(n_items, np.nan), empty, empty, empty, empty, ((),) * n_items)
    omitted = np.count_nonzero(missing, axis=0) / n
    # Everything below depends on a person only through the total score: one table of right
    # answers per (total score, item) replaces every pass over the n × k matrix.
    total = row_counts(right)
    table, people = cell_sums(right, total, n_items + 1)
    facility = table.sum(axis=0) / n
    # Corrected point-biserial of item x and rest score y = T − x from exact integer sums
    # (x² = x, Σxy = Σ (T − 1)·x, Σy² = ΣT² − 2ΣTx + Σx), so a rest score that does not vary
    # gives exactly zero variance; Python ints keep n·Σxy − Σx·Σy exact at any size.
    scores = np.arange(n_items + 1, dtype=np.int64)
    sum_x = table.sum(axis=0)
    sum_tx = scores @ table
    sum_t = int(people @ scores)
    sum_tt = int(people @ scores**2)
    rest_r = np.full(n_items, np.nan)
    for j in range(n_items):
        sx, stx = int(sum_x[j]), int(sum_tx[j])
        sy = sum_t - sx
        covariance = n * (stx - sx) - sx * sy
        spread = float(n * sx - sx * sx) * float(n * (sum_tt - 2 * stx + sx) - sy * sy)
        if spread > 0 and np.sqrt(spread) / n**2 > 1e-12:
            rest_r[j] = covariance / np.sqrt(spread)

    size = group_share * n
    lower_w = _value_weights(people, size)
    upper_w = _value_weights(people[::-1], size)[::-1]
    upper = upper_w @ table / size
    lower = lower_w @ table / size
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
    if chosen.size:
        # Compare in the choices' own (often 1-byte) type rather than widening the matrix.
        limit = options
        if np.issubdtype(chosen.dtype, np.integer) and options.max() <= np.iinfo(chosen.dtype).max:
            limit = options.astype(chosen.dtype)
        if chosen.min() < -1 or np.any(chosen >= limit):
            raise ValueError("choices must be -1 or an option index of the item")
    taken = np.isfinite(totals)
    if not taken.all():
        chosen, totals = chosen[taken], totals[taken]
    n, n_items = chosen.shape
    width = int(options.max()) if options.size else 0
    share = np.full((n_items, width), np.nan)
    upper = share.copy()
    lower = share.copy()
    if n == 0:
        return DistractorAnalysis(share, upper, lower, np.full(n_items, np.nan), ((),) * n_items)
    lower_w, upper_w, size = extreme_group_weights(totals, group_share)
    # Only the people of each group (weight > 0) enter its shares.
    in_lower, in_upper = np.flatnonzero(lower_w > 0), np.flatnonzero(upper_w > 0)
    chosen_lower, chosen_upper = chosen[in_lower], chosen[in_upper]
    lower_w, upper_w = lower_w[in_lower], upper_w[in_upper]
    for option in range(width):
        has = options > option
        share[has, option] = (np.count_nonzero(chosen == option, axis=0) / n)[has]
        upper[has, option] = (upper_w @ (chosen_upper == option) / size)[has]
        lower[has, option] = (lower_w @ (chosen_lower == option) / size)[has]
    no_answer = np.count_nonzero(chosen == -1, axis=0) / n
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
