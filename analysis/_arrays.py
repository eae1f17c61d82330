"""Input checks shared by the modules (private)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

PARTS_BLOCK_ELEMENTS = 1 << 18  # 2 MiB of float64 per block


def as_matrix(values: ArrayLike, name: str) -> NDArray[np.float64]:
    """A 2-D float array (n_respondents, n_items)."""
    matrix = np.asarray(values, dtype=float)
    if matrix.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array (n_respondents, n_items)")
    return matrix


def as_codes(groups: ArrayLike, n: int, n_groups: int, name: str = "groups") -> NDArray[np.intp]:
    """Int group codes, shape (n,), each in 0..n_groups-1 or negative for "no group"."""
    codes = np.asarray(groups)
    if codes.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},)")
    if codes.size and not np.issubdtype(codes.dtype, np.integer):
        raise ValueError(f"{name} must be integer codes")
    if codes.size and codes.max() >= n_groups:
        raise ValueError(f"{name} has a code >= n_groups ({n_groups})")
    return codes.astype(np.intp, copy=False)


def binary_parts(correct: NDArray[np.float64]) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Check a test matrix (1.0 / 0.0 / nan only, else ValueError) and split it into two bool
    arrays of its shape: right (== 1) and unanswered (nan).

    One pass over row blocks that stay in cache; every later step works on 1-byte arrays
    instead of copies of the float matrix.
    """
    right = np.empty(correct.shape, dtype=bool)
    missing = np.empty(correct.shape, dtype=bool)
    if correct.ndim != 2 or correct.shape[1] == 0:
        np.equal(correct, 1, out=right)
        np.isnan(correct, out=missing)
        if np.count_nonzero(right | missing | (correct == 0)) != correct.size:
            raise ValueError("correct must hold 1.0, 0.0 or nan")
        return right, missing
    rows = max(PARTS_BLOCK_ELEMENTS // correct.shape[1], 1)
    for start in range(0, correct.shape[0], rows):
        block = correct[start:start + rows]
        r = right[start:start + rows]
        q = missing[start:start + rows]
        np.equal(block, 1, out=r)
        np.isnan(block, out=q)
        wrong = np.count_nonzero(block == 0)
        if np.count_nonzero(r) + np.count_nonzero(q) + wrong != block.size:
            raise ValueError("correct must hold 1.0, 0.0 or nan")
    return right, missing


def row_counts(flags: NDArray[np.bool_]) -> NDArray[np.intp]:
    """Number of True per row of a 2-D bool array (summed as bytes, no wider copy)."""
    counts: NDArray[np.intp]
    if flags.shape[1] < 256:
        counts = flags.view(np.uint8).sum(axis=1, dtype=np.uint8).astype(np.intp)
    else:
        counts = np.asarray(np.count_nonzero(flags, axis=1), dtype=np.intp)
    return counts


def small_codes(codes: NDArray[np.intp], n_codes: int) -> NDArray[np.integer]:
    """Non-negative codes below ``n_codes`` in the narrowest int type (a stable argsort of
    16-bit ints is a radix sort, linear in n)."""
    if n_codes <= np.iinfo(np.int16).max:
        return codes.astype(np.int16)
    return codes


def cell_sums(
    right: NDArray[np.bool_], cell: NDArray[np.intp], n_cells: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Right answers per (cell, item), int (n_cells, n_items), and rows per cell (n_cells,).

    ``cell``: int (n,), 0..n_cells-1. Rows are sorted by cell once (radix sort) and each run of
    one cell summed: no loop over cells or items, no float copy of the matrix.
    """
    n_items = right.shape[1]
    counts = np.bincount(cell, minlength=n_cells).astype(np.int64)
    sums = np.zeros((n_cells, n_items), dtype=np.int64)
    if right.shape[0] == 0:
        return sums, counts
    order = np.argsort(small_codes(cell, n_cells), kind="stable")
    present = np.flatnonzero(counts)
    starts = np.concatenate(([0], np.cumsum(counts[present])[:-1]))
    wide = np.int32 if right.shape[0] < 2**31 else np.int64
    sums[present] = np.add.reduceat(right.view(np.uint8)[order], starts, axis=0, dtype=wide)
    return sums, counts
