"""Group statistics from the disclosure gate: the dashboard's culture scores, gaps and level
counts computed only from released figures (:func:`analysis.privacy.release_table`), so each
number is a sum over whole atoms of at least ``k`` results.

Each function takes the partition, a selection (bool (n,)) and the cell of every result (int
(n,), −1 = none) and returns the same dataclasses as the per-group functions
(:class:`~analysis.culture.GroupCulture`, :class:`~analysis.gaps.GapSummary`), with withheld
cells as −1 counts and nan statistics.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from analysis.culture import SCALE_MAX, SCALE_MIN, GroupCulture
from analysis.gaps import GapSummary
from analysis.model import MaturityModel
from analysis.privacy import Partition, ReleasedTable, one_hot, release_table


def _culture(model: MaturityModel, table: ReleasedTable, column: int,
             confidence: float) -> GroupCulture:
    """GroupCulture from a table whose columns ``column`` and ``column + 1`` hold the scores
    and their squares."""
    n_groups = table.published.shape[0]
    n = np.where(table.published, table.n_valid[:, column], 0).astype(np.int64)
    hidden = n <= 0
    mean = np.where(hidden, np.nan, table.means[:, column])
    sd = np.full(n_groups, np.nan)
    several = n > 1
    square = table.sums[several, column + 1] - n[several] * mean[several] ** 2
    sd[several] = np.sqrt(np.clip(square, 0, None) / (n[several] - 1))
    half = np.full(n_groups, np.nan)
    t = stats.t.isf((1 - confidence) / 2, np.maximum(n[several] - 1, 1))
    half[several] = t * sd[several] / np.sqrt(n[several])
    low = np.clip(mean - half, SCALE_MIN, SCALE_MAX)
    high = np.clip(mean + half, SCALE_MIN, SCALE_MAX)
    return GroupCulture(np.where(hidden, -1, n), mean, sd, low, high, model.level_for(mean),
                        hidden, confidence)


def _scores(values: ArrayLike) -> NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    return np.column_stack([array, array * array])


def released_culture(model: MaturityModel, partition: Partition, selection: ArrayLike,
                     scores: ArrayLike, groups: ArrayLike, n_groups: int,
                     confidence: float = 0.95) -> tuple[GroupCulture, ReleasedTable]:
    """Mean score per cell over its released atoms, with the t interval of the mean
    (``mean ± t(n−1)·sd/√n``, sd from the released sum and sum of squares) and its band;
    and the table itself (its ``codes`` are the released rows for a comparison).
    ``scores``: float (n,), nan = no score."""
    table = release_table(partition, selection, groups, n_groups, _scores(scores))
    return _culture(model, table, 0, confidence), table


def _gap_columns(gaps: ArrayLike) -> NDArray[np.float64]:
    """Per person: has any measured gap; per competence the positive gap and whether below
    (nan where not measured)."""
    values = np.asarray(gaps, dtype=np.float64)
    measured = ~np.isnan(values)
    positive = np.where(measured, np.clip(values, 0, None), np.nan)
    below = np.where(measured, (positive > 0).astype(np.float64), np.nan)
    anyone = measured.any(axis=1).astype(np.float64)
    return np.column_stack([anyone, positive, below])


def _gaps(table: ReleasedTable, column: int, n_comp: int) -> GapSummary:
    hidden = ~table.published
    headcount = np.where(hidden, -1, np.nan_to_num(table.sums[:, column]).astype(np.int64))
    first, last = column + 1, column + 1 + n_comp
    n = np.where(hidden[:, None], 0, table.n_valid[:, first:last])
    total_gap = np.nan_to_num(table.sums[:, first:last])
    n_below = np.nan_to_num(table.sums[:, last:last + n_comp])
    shown = ~hidden[:, None] & (n > 0)
    share_below = np.full(n.shape, np.nan)
    mean_gap = np.full(n.shape, np.nan)
    mean_positive = np.full(n.shape, np.nan)
    np.divide(n_below, n, out=share_below, where=shown)
    np.divide(total_gap, n, out=mean_gap, where=shown)
    np.divide(total_gap, n_below, out=mean_positive, where=shown & (n_below > 0))
    mean_positive[shown & (n_below == 0)] = 0.0
    priority = np.where(shown, total_gap, np.nan)
    return GapSummary(headcount, np.where(hidden[:, None], -1, n).astype(np.int64), share_below,
                      mean_gap, mean_positive, priority, hidden)


def released_gaps(partition: Partition, selection: ArrayLike, gaps: ArrayLike,
                  groups: ArrayLike, n_groups: int) -> GapSummary:
    """:func:`analysis.gaps.gap_summary` over released atoms: headcount (people with a
    measured gap), people measured, people below and Σ positive gaps per competence are each
    released sums; the shares and means follow from them."""
    n_comp = np.asarray(gaps).shape[1]
    table = release_table(partition, selection, groups, n_groups, _gap_columns(gaps))
    return _gaps(table, 0, n_comp)


@dataclass(frozen=True)
class ReleasedSummary:
    """Culture and gaps of one grouping from one pass of the gate; with ``subscores`` and
    ``levels`` asked for, their figures too (one group each is the usual case)."""

    culture: GroupCulture
    gaps: GapSummary
    subscores: tuple[GroupCulture, ...]
    level_counts: NDArray[np.int64]  # (n_groups, n_levels), −1 where withheld
    table: ReleasedTable


def released_summary(model: MaturityModel, partition: Partition, selection: ArrayLike,
                     groups: ArrayLike, n_groups: int, culture: ArrayLike, gaps: ArrayLike,
                     subscores: ArrayLike | None = None, levels: ArrayLike | None = None,
                     n_levels: int = 5, confidence: float = 0.95) -> ReleasedSummary:
    """:func:`released_culture`, :func:`released_gaps`, the sub-scores' culture and the
    people per level (``levels``: codes 0..n_levels−1) of one grouping, with one
    :func:`~analysis.privacy.release_table` call: the same figures, one pass over the rows."""
    n = np.asarray(culture).shape[0]
    parts = [_scores(culture), _gap_columns(gaps)]
    n_comp = np.asarray(gaps).shape[1]
    subs = np.zeros((n, 0)) if subscores is None else np.asarray(subscores, dtype=np.float64)
    for j in range(subs.shape[1]):
        parts.append(_scores(subs[:, j]))
    if levels is not None:
        parts.append(one_hot(levels, n_levels))
    table = release_table(partition, selection, groups, n_groups, np.column_stack(parts))
    at = 2 + 1 + 2 * n_comp
    sub = tuple(_culture(model, table, at + 2 * j, confidence) for j in range(subs.shape[1]))
    at += 2 * subs.shape[1]
    if levels is None:
        counts = np.zeros((n_groups, 0), dtype=np.int64)
    else:
        counts = np.where(table.published[:, None],
                          np.rint(np.nan_to_num(table.sums[:, at:at + n_levels])), -1
                          ).astype(np.int64)
    return ReleasedSummary(_culture(model, table, 0, confidence), _gaps(table, 2, n_comp), sub,
                           counts, table)


def released_counts(partition: Partition, selection: ArrayLike, codes: ArrayLike,
                    n_categories: int) -> NDArray[np.int64]:
    """People per category (e.g. per level band 0..4) over the selection's released atoms,
    int (n_categories,); all −1 when nothing of the selection is released."""
    n = np.asarray(codes).shape[0]
    table = release_table(partition, selection, np.zeros(n, dtype=np.intp), 1,
                          one_hot(codes, n_categories))
    if not table.published[0]:
        return np.full(n_categories, -1, dtype=np.int64)
    counts: NDArray[np.int64] = np.rint(table.sums[0]).astype(np.int64)
    return counts
