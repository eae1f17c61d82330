"""The disclosure gate: every number about people is released by :func:`release` /
:func:`release_table` as a sum over fixed atoms of at least ``k`` results (:class:`Partition`,
grown by :func:`extend_release`); see analysis/README.md, "The disclosure gate".

The atoms are formed in :mod:`analysis._atoms` and imported from here. The older per-table
rule, :func:`~analysis.suppression.suppress`, is in :mod:`analysis.suppression`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis._atoms import DEFAULT_K, Organisation, Partition, People, extend_release

__all__ = [
    "DEFAULT_K",
    "Organisation",
    "People",
    "Partition",
    "extend_release",
    "Released",
    "Withheld",
    "ReleasedTable",
    "release",
    "release_table",
    "one_hot",
    "is_exact",
]


@dataclass(frozen=True)
class Released:
    """The figures of one selection, over the atoms that lie wholly inside it.

    ``count``: results in the figures. ``sums``, ``n_valid``, ``means``: (m,) per value
    column — the sum, the number of results with a value and the mean (nan if none). A
    column leaves out an atom where fewer than ``k`` results have a value, so a missing value
    never narrows a group below ``k``. ``rows``: bool (n,), the results in the figures.
    ``as_of``: the release at which these figures last moved. ``waiting``: finished results of
    the selection not in the figures (not released yet, or released in a group wider than the
    selection) — a count of finishers, never of answers.
    """

    count: int
    sums: NDArray[np.float64]
    n_valid: NDArray[np.int64]
    means: NDArray[np.float64]
    rows: NDArray[np.bool_]
    as_of: int
    waiting: int
    exact: bool  # every finished result of the selection is in the figures


@dataclass(frozen=True)
class Withheld:
    """No figure for this selection: no whole atom lies inside it yet."""

    waiting: int  # finished results of the selection (none is in a figure)


@dataclass(frozen=True)
class ReleasedTable:
    """The figures of a table whose cells are ``selection & (groups == g)``.

    Arrays per cell g (n_groups,): ``published``; ``count`` (−1 where withheld); ``as_of``
    (0 where withheld); ``waiting``. Per cell and value column (n_groups, m): ``sums``,
    ``n_valid``, ``means`` (nan where withheld or no value). ``codes``: int (n,), each result's
    cell if it is in that cell's figures, else −1 — the groups to hand to a comparison.
    """

    published: NDArray[np.bool_]
    count: NDArray[np.int64]
    sums: NDArray[np.float64]
    n_valid: NDArray[np.int64]
    means: NDArray[np.float64]
    as_of: NDArray[np.int64]
    waiting: NDArray[np.int64]
    codes: NDArray[np.intp]


def _atoms_as_of(partition: Partition, as_of: int | None) -> NDArray[np.int64]:
    if as_of is None or as_of >= partition.releases:
        return partition.atom
    usable = np.r_[partition.atom_release <= as_of, False]  # index −1 → the extra False
    return np.where(usable[partition.atom], partition.atom, -1)


def _selection(partition: Partition, selection: ArrayLike) -> NDArray[np.bool_]:
    mask = np.asarray(selection, dtype=bool)
    if mask.shape != (partition.n,):
        raise ValueError("a selection is a bool array with one entry per result")
    return mask


def _values(partition: Partition, values: ArrayLike | None) -> NDArray[np.float64]:
    if values is None:
        return np.zeros((partition.n, 0))
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[0] != partition.n:
        raise ValueError("values are (n,) or (n, m), one row per result")
    return array


def _column_sums(partition: Partition, atom: NDArray[np.int64], rows: NDArray[np.bool_],
                 cell: NDArray[np.intp], n_cells: int, values: NDArray[np.float64]
                 ) -> tuple[NDArray[np.float64], NDArray[np.int64]]:
    """Sums and value counts per cell (n_cells, m) over ``rows``; atoms with fewer than k values
    in a column are left out of that column."""
    m = values.shape[1]
    sums = np.zeros((n_cells, m))
    n_valid = np.zeros((n_cells, m), dtype=np.int64)
    index = np.flatnonzero(rows)
    if m == 0 or index.size == 0:
        return sums, n_valid
    cells = cell[index]
    if n_cells > 1:
        # Sorted by cell, every column of every cell is one np.add.reduceat pass.
        index = index[np.argsort(cells, kind="stable")]
        cells = cell[index]
    picked = values[index]
    missing = np.isnan(picked)
    gaps = np.flatnonzero(missing.any(axis=0))
    valid_per_cell = np.bincount(cells, minlength=n_cells)[:, None] * np.ones((1, m), np.int64)
    if gaps.size:
        atoms = atom[index]
        for column in gaps:
            valid = ~missing[:, column]
            per_atom = np.bincount(atoms[valid], minlength=partition.n_atoms)
            valid &= per_atom[atoms] >= partition.k
            picked[:, column] = np.where(valid, picked[:, column], 0.0)
            valid_per_cell[:, column] = np.bincount(cells[valid], minlength=n_cells)
    if n_cells == 1:
        return picked.sum(axis=0)[None, :], valid_per_cell
    starts = np.flatnonzero(np.r_[True, cells[1:] != cells[:-1]])
    sums[cells[starts]] = np.add.reduceat(picked, starts, axis=0)
    return sums, valid_per_cell


def _means(sums: NDArray[np.float64], n_valid: NDArray[np.int64]) -> NDArray[np.float64]:
    means = np.full(sums.shape, np.nan)
    np.divide(sums, n_valid, out=means, where=n_valid > 0)
    return means


def release(partition: Partition, selection: ArrayLike, values: ArrayLike | None = None,
            as_of: int | None = None) -> Released | Withheld:
    """The one gate for a selection's numbers: counts, sums, means, distributions (pass
    :func:`one_hot` codes as values), per-item counts (pass the right/wrong matrix), course
    counts (pass the need matrix). Everything is computed over the atoms that lie wholly inside
    ``selection`` (bool (n,)); ``values``: float (n,) or (n, m), nan = no value.
    ``as_of``: the figures of an earlier release (default: the latest).
    Withheld when no atom lies wholly inside the selection.
    """
    mask = _selection(partition, selection)
    array = _values(partition, values)
    atom = _atoms_as_of(partition, as_of)
    released = mask & (atom >= 0)
    inside_count = np.bincount(atom[released], minlength=partition.n_atoms)
    inside = (inside_count == partition.atom_size) & (inside_count > 0)
    rows = released & np.r_[inside, False][atom]
    count = int(np.count_nonzero(rows))
    finished: int = int(np.count_nonzero(mask))
    if count == 0:
        return Withheld(finished)
    zero = np.zeros(partition.n, dtype=np.intp)
    sums, n_valid = _column_sums(partition, atom, rows, zero, 1, array)
    return Released(count, sums[0], n_valid[0], _means(sums, n_valid)[0], rows,
                    int(partition.atom_release[inside].max()), finished - count,
                    finished == count)


def release_table(partition: Partition, selection: ArrayLike, groups: ArrayLike, n_groups: int,
                  values: ArrayLike | None = None, as_of: int | None = None) -> ReleasedTable:
    """:func:`release` for every cell ``selection & (groups == g)`` at once (a by-unit,
    by-position or by-language table; vectorised). ``groups``: int (n,), −1 = in no cell."""
    mask = _selection(partition, selection)
    array = _values(partition, values)
    codes = np.asarray(groups, dtype=np.intp)
    if codes.shape != (partition.n,):
        raise ValueError("groups has one entry per result")
    atom = _atoms_as_of(partition, as_of)
    in_cells = mask & (codes >= 0) & (codes < n_groups)
    released = in_cells & (atom >= 0)
    a, g = atom[released], codes[released]
    inside_count = np.bincount(a, minlength=partition.n_atoms)
    lowest = np.full(partition.n_atoms, n_groups, dtype=np.intp)
    highest = np.full(partition.n_atoms, -1, dtype=np.intp)
    np.minimum.at(lowest, a, g)
    np.maximum.at(highest, a, g)
    inside = (inside_count == partition.atom_size) & (inside_count > 0) & (lowest == highest)
    rows = released & np.r_[inside, False][atom]
    cell = np.where(rows, codes, -1)
    count = np.bincount(cell[rows], minlength=n_groups)[:n_groups].astype(np.int64)
    finished = np.bincount(codes[in_cells], minlength=n_groups)[:n_groups].astype(np.int64)
    sums, n_valid = _column_sums(partition, atom, rows, np.maximum(cell, 0), n_groups, array)
    as_of_cell = np.zeros(n_groups, dtype=np.int64)
    np.maximum.at(as_of_cell, lowest[inside], partition.atom_release[inside])
    published = count > 0
    means = _means(sums, n_valid)
    sums[~published] = np.nan
    means[~published] = np.nan
    return ReleasedTable(published, np.where(published, count, -1), sums, n_valid, means,
                         as_of_cell, finished - count, cell)


def one_hot(codes: ArrayLike, n_categories: int) -> NDArray[np.float64]:
    """(n, n_categories) indicators of codes 0..n_categories−1 (other codes: all zero), so a
    distribution (people per level, per answer option) goes through :func:`release`."""
    array = np.asarray(codes, dtype=np.intp)
    out = np.zeros((array.shape[0], n_categories))
    ok = (array >= 0) & (array < n_categories)
    out[np.flatnonzero(ok), array[ok]] = 1.0
    return out


def is_exact(partition: Partition, selection: ArrayLike) -> bool:
    """True when every released result of the selection is in its figures (the selection's
    released results are a union of whole atoms)."""
    mask = _selection(partition, selection)
    released = mask & (partition.atom >= 0)
    inside_count = np.bincount(partition.atom[released], minlength=partition.n_atoms)
    touched = inside_count > 0
    return bool(np.all(inside_count[touched] == partition.atom_size[touched]))
