"""Input checks shared by the modules (private)."""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray

CHECK_BLOCK_ROWS = 8192


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


def check_binary(correct: NDArray[np.float64]) -> None:
    """Refuse a test matrix holding anything but 0, 1 and nan."""
    # x·(x − 1) is 0 for 0 and 1, nan for nan and non-zero otherwise: two passes, no copy
    # of the answered values.
    # Row blocks keep the temporaries small (no fresh pages for a full-size copy).
    for start in range(0, correct.shape[0], CHECK_BLOCK_ROWS):
        block = correct[start:start + CHECK_BLOCK_ROWS]
        product = block * (block - 1)
        if np.count_nonzero(product) != np.count_nonzero(np.isnan(product)):
            raise ValueError("correct must hold 1.0, 0.0 or nan")
