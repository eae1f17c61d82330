"""Small-group suppression of single tables: the per-table rule the web layer used before the
disclosure gate (:mod:`analysis.privacy`); it stays until every page goes through the gate.

A group with fewer than ``k`` respondents is never shown (primary suppression). Because pages
also show totals (an organisation's total, the national total), one hidden group could be
recovered by subtracting the shown groups from the total; so more groups are hidden
(complementary suppression) until, in every line whose total is published, the hidden groups

* are at least two,
* hold together at least ``k`` respondents (their combined mean is itself an aggregate of at
  least ``k`` people), and
* hold more respondents than there are hidden groups (so "each hidden group has at least one
  respondent" does not pin every one of them to 1),

or every non-empty group of the line is hidden (then the line total is itself below ``k`` or
made only of hidden groups, and must be suppressed in the table that shows it — call
:func:`suppress` on that table too). Complements are the smallest shown non-empty groups of the
line, ties broken by position, so the result does not depend on anything but the counts.

Empty groups (count 0) carry no one's data and are not marked; result functions give them
nan values.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.privacy import DEFAULT_K


def _protect_line(counts: NDArray[np.int64], hidden: NDArray[np.bool_], k: int) -> bool:
    """Hide more cells of one line until the hidden ones are safe; return True if it changed."""
    nonzero = counts > 0
    hidden_nonzero = hidden & nonzero
    if not hidden_nonzero.any():
        return False
    changed = False
    while True:
        n_hidden = int(hidden_nonzero.sum())
        total_hidden = int(counts[hidden_nonzero].sum())
        if n_hidden >= 2 and total_hidden >= k and total_hidden > n_hidden:
            return changed
        candidates = np.flatnonzero(nonzero & ~hidden)
        if candidates.size == 0:
            return changed
        # Stable argsort: equal counts are taken in position order.
        pick = candidates[np.argsort(counts[candidates], kind="stable")[0]]
        hidden[pick] = True
        hidden_nonzero[pick] = True
        changed = True


def suppress(
    counts: ArrayLike,
    k: int = DEFAULT_K,
    parent: ArrayLike | None = None,
    also_hidden: ArrayLike | None = None,
) -> NDArray[np.bool_]:
    """Mask of the cells of a table of group counts that must not be shown.

    ``counts``: int array of respondents per group, shape (n_groups,) or (n_rows, n_cols).
    For a 1-D table, ``parent`` (int array (n_groups,), optional) says which published total
    each group adds up to (e.g. each unit's organisation); without it the whole table adds up to
    one published total. For a 2-D table every row and every column is a line with a published
    total; lines are protected in turn until nothing changes.
    ``also_hidden`` (bool, same shape, optional) marks cells to hide whatever their count —
    e.g. a cell that another published table would reveal by subtraction; complementary
    suppression then protects them like small cells.
    Returns a bool array of the same shape: True = suppressed. See the module docstring for
    the rule. ``k`` must be at least 1; ``k=1`` suppresses nothing.
    """
    table = np.asarray(counts)
    if table.ndim not in (1, 2):
        raise ValueError("counts must be a 1-D or 2-D table")
    if table.size and (np.any(table < 0) or not np.all(np.equal(np.mod(table, 1), 0))):
        raise ValueError("counts must be non-negative integers")
    if k < 1:
        raise ValueError("k must be at least 1")
    table = table.astype(np.int64)
    hidden = (table > 0) & (table < k)
    if also_hidden is not None:
        forced = np.asarray(also_hidden, dtype=bool)
        if forced.shape != table.shape:
            raise ValueError("also_hidden must have the shape of counts")
        hidden |= forced & (table > 0)
    if table.ndim == 1:
        if parent is None:
            lines = [np.arange(table.size)]
        else:
            parents = np.asarray(parent)
            if parents.shape != table.shape:
                raise ValueError("parent must have one entry per group")
            needing = np.unique(parents[hidden])
            lines = [np.flatnonzero(parents == p) for p in needing]
        for line in lines:
            sub = hidden[line]
            if _protect_line(table[line], sub, k):
                hidden[line] = sub
        return hidden
    if parent is not None:
        raise ValueError("parent applies to 1-D tables only")
    changed = True
    while changed:
        changed = False
        for axis_view in (hidden, hidden.T):
            values = table if axis_view is hidden else table.T
            for i in range(values.shape[0]):
                row = axis_view[i].copy()
                if _protect_line(values[i], row, k):
                    axis_view[i] = row
                    changed = True
    return hidden


def group_counts(groups: ArrayLike, n_groups: int) -> NDArray[np.int64]:
    """Respondents per group code 0..n_groups-1; negative codes (no group) are not counted."""
    codes = np.asarray(groups)
    return np.bincount(codes[codes >= 0], minlength=n_groups)[:n_groups].astype(np.int64)
