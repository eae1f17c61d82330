"""The disclosure gate, and the older small-group suppression of single tables.

The gate (second half of this module): every number about people is released by
:func:`release` / :func:`release_table` as a sum over fixed atoms of at least ``k`` results
(:class:`Partition`, grown by :func:`extend_release`); see analysis/README.md, "The disclosure
gate". :func:`suppress` and :func:`group_counts` below are the per-table rule the web layer used
before the gate; they stay until every page goes through it.

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

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

DEFAULT_K = 5


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


# --------------------------------------------------------------------------------------------
# The disclosure gate: releases made of fixed atoms
# --------------------------------------------------------------------------------------------
#
# Every number about people that leaves the server is a sum over whole *atoms*: fixed groups of
# at least k released results, formed once and never changed. Whatever an analyst adds or
# subtracts — across filters, tables, exports and moments — is then a combination of atom sums,
# and no combination of atom sums describes fewer than k people. See analysis/README.md
# ("The disclosure gate") for the rule in plain words.


@dataclass(frozen=True)
class Organisation:
    """The tree atoms are formed along.

    ``unit_parent``: int (n_units,), each unit's parent unit, −1 for a top unit of its body.
    ``unit_body``: int (n_units,), each unit's body code 0..n_bodies−1 (a unit and its parent
    are in the same body). Above the bodies sits the campaign, the root of the tree.
    """

    unit_parent: NDArray[np.intp]
    unit_body: NDArray[np.intp]
    n_bodies: int


@dataclass(frozen=True)
class People:
    """The finished results of a campaign, one row each, in a fixed order: a result keeps its
    row for ever and new results are appended (e.g. ordered by the time the result was packed).

    ``body``: int (n,), body code. ``unit``: int (n,), unit code, −1 = directly under the body.
    ``position``: int (n,), position-category code, −1 = none. ``language``: int (n,), the
    language the result was given in, −1 = unknown. Only these attributes and the order of
    finishing decide the atoms — never a score or an answer.
    """

    body: NDArray[np.intp]
    unit: NDArray[np.intp]
    position: NDArray[np.intp]
    language: NDArray[np.intp]

    @property
    def n(self) -> int:
        return int(self.body.shape[0])


@dataclass(frozen=True)
class Partition:
    """The released atoms of one campaign (what the web layer stores).

    ``atom``: int (n,), the atom of each result, −1 = pending (not in any figure yet).
    ``atom_release``: int (n_atoms,), the release (1, 2, …) at which each atom was formed.
    ``releases``: how many releases have been made. ``k``: the smallest group.
    Per result the web layer stores its atom id; per atom, its release number; per release,
    its time. :meth:`restore` rebuilds a partition from those columns and checks it.
    """

    k: int
    atom: NDArray[np.int64]
    atom_release: NDArray[np.int64]
    releases: int
    atom_size: NDArray[np.int64] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        n_atoms = int(self.atom_release.shape[0])
        if self.atom.size and int(self.atom.max(initial=-1)) >= n_atoms:
            raise ValueError("an atom id has no release number")
        sizes = np.bincount(self.atom[self.atom >= 0], minlength=n_atoms).astype(np.int64)
        object.__setattr__(self, "atom_size", sizes)

    @classmethod
    def restore(cls, k: int, atom: ArrayLike, atom_release: ArrayLike, releases: int) -> Partition:
        """A stored partition, checked: every atom holds at least ``k`` results, atom ids run
        0..n_atoms−1 in the order they were formed, and release numbers never decrease."""
        atoms = np.asarray(atom, dtype=np.int64)
        when = np.asarray(atom_release, dtype=np.int64)
        partition = cls(k, atoms, when, int(releases))
        if np.any(atoms < -1):
            raise ValueError("atom ids are −1 (pending) or non-negative")
        if np.any(partition.atom_size < k):
            raise ValueError("every atom must hold at least k results")
        if when.size and (np.any(np.diff(when) < 0) or when[0] < 1 or when[-1] > releases):
            raise ValueError("atom release numbers must run from 1 to the last release, in order")
        return partition

    @property
    def n(self) -> int:
        return int(self.atom.shape[0])

    @property
    def n_atoms(self) -> int:
        return int(self.atom_release.shape[0])

    @property
    def pending(self) -> int:
        """Results not in any figure yet ("N results are not in the figures yet")."""
        return int(np.count_nonzero(self.atom < 0))


def _tree(org: Organisation) -> tuple[NDArray[np.intp], NDArray[np.intp]]:
    """Parent and depth of every node: units 0..U−1, bodies U..U+B−1, the campaign U+B."""
    n_units = int(org.unit_parent.shape[0])
    root = n_units + org.n_bodies
    parent = np.empty(root + 1, dtype=np.intp)
    top = org.unit_parent < 0
    parent[:n_units] = np.where(top, n_units + org.unit_body, org.unit_parent)
    parent[n_units:root] = root
    parent[root] = -1
    if n_units and np.any(org.unit_body[~top] != org.unit_body[org.unit_parent[~top]]):
        raise ValueError("a unit and its parent must be in the same body")
    depth = np.zeros(root + 1, dtype=np.intp)
    depth[n_units:root] = 1
    # Depth of units by walking up at most n_units steps (a cycle is an error).
    up = parent[:n_units].copy()
    steps = np.ones(n_units, dtype=np.intp)
    for _ in range(n_units + 1):
        moving = up < n_units
        if not moving.any():
            break
        steps[moving] += 1
        up[moving] = parent[up[moving]]
    else:
        raise ValueError("the unit tree has a cycle")
    depth[:n_units] = steps + 1
    return parent, depth


def _groups(members: NDArray[np.intp], key: NDArray[np.int64], k: int
            ) -> tuple[list[NDArray[np.intp]], NDArray[np.intp]]:
    """Split ``members`` by ``key``: the groups of at least ``k`` (in key order) and the rest."""
    if members.size < k:
        return [], members
    keys = key[members]
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
    sizes = np.diff(np.r_[starts, members.size])
    big = sizes >= k
    if not big.any():
        return [], members
    atoms = [np.sort(members[order[s:s + size]]) for s, size in zip(starts[big], sizes[big], strict=True)]
    keep = np.repeat(~big, sizes)
    return atoms, np.sort(members[order[keep]])


def extend_release(
    previous: Partition | None,
    org: Organisation,
    people: People,
    k: int = DEFAULT_K,
    outstanding: ArrayLike | None = None,
) -> Partition:
    """The next release: new atoms from the results not yet in one; old atoms never change.

    ``previous``: the last release (None for the first); its rows are the first rows of
    ``people``, whose later rows are results that finished since. ``outstanding``: int
    (n_units,), invitations per unit not finished yet — a unit's leftover results wait for its
    own late finishers while they could still make a group of ``k``; None (or all zeros) when
    nothing more will come, e.g. at the campaign's close.

    Atoms are formed bottom-up along the unit tree, then the bodies, then the campaign. At each
    node, among its pending results and those handed up by its children: first every group of
    the same position category and language with at least ``k`` results becomes an atom, then
    every group of the same position category, then the rest together if it holds ``k``. A
    rest smaller than ``k`` waits at the node if it and the node's outstanding invitations
    reach ``k``, else goes up to the parent. What is left at the campaign stays pending.
    Deterministic: nodes deepest first, then by code; groups by code.
    """
    if k < 1:
        raise ValueError("k must be at least 1")
    n = people.n
    atoms_so_far = np.full(n, -1, dtype=np.int64)
    when = np.zeros(0, dtype=np.int64)
    releases = 0
    if previous is not None:
        if previous.k != k:
            raise ValueError("k cannot change between releases")
        if previous.n > n:
            raise ValueError("results are only ever appended")
        atoms_so_far[:previous.n] = previous.atom
        when, releases = previous.atom_release, previous.releases
    release_number = releases + 1
    n_units = int(org.unit_parent.shape[0])
    parent, depth = _tree(org)
    unit = np.asarray(people.unit, dtype=np.intp)
    body = np.asarray(people.body, dtype=np.intp)
    if n_units and np.any((unit >= 0) & (org.unit_body[np.maximum(unit, 0)] != body)):
        raise ValueError("a result's unit must be in its body")
    node = np.where(unit >= 0, unit, n_units + body)
    waiting = np.zeros(parent.shape[0], dtype=np.int64)
    if outstanding is not None:
        waiting[:n_units] = np.asarray(outstanding, dtype=np.int64)
    for v in np.lexsort((np.arange(parent.shape[0]), depth))[::-1]:
        if parent[v] >= 0:  # deepest first, so every child is added before its parent moves up
            waiting[parent[v]] += waiting[v]
    n_lang = max(int(np.max(people.language, initial=-1)), 0) + 2
    by_position_language = (np.asarray(people.position, dtype=np.int64) + 1) * n_lang \
        + np.asarray(people.language, dtype=np.int64) + 1
    by_position = np.asarray(people.position, dtype=np.int64)

    pending = np.flatnonzero(atoms_so_far < 0).astype(np.intp)
    pools: list[list[NDArray[np.intp]]] = [[] for _ in range(parent.shape[0])]
    order = np.argsort(node[pending], kind="stable")
    pending, pending_nodes = pending[order], node[pending][order]
    bounds = np.flatnonzero(np.r_[True, pending_nodes[1:] != pending_nodes[:-1], True])
    for a, b in zip(bounds[:-1], bounds[1:], strict=True) if pending.size else ():
        pools[int(pending_nodes[a])].append(pending[a:b])

    new_atoms: list[NDArray[np.intp]] = []
    # Deepest first; among equal depth, by node code (lexsort's last key is the primary one).
    for v in np.lexsort((np.arange(parent.shape[0]), -depth)):
        if not pools[v]:
            continue
        members = np.sort(np.concatenate(pools[v]))
        pools[v] = []
        formed, rest = _groups(members, by_position_language, k)
        new_atoms += formed
        formed, rest = _groups(rest, by_position, k)
        new_atoms += formed
        if rest.size >= k:
            new_atoms.append(rest)
        elif rest.size and rest.size + waiting[v] < k and parent[v] >= 0:
            pools[int(parent[v])].append(rest)
    first = when.shape[0]
    for j, members in enumerate(new_atoms):
        atoms_so_far[members] = first + j
    when = np.r_[when, np.full(len(new_atoms), release_number, dtype=np.int64)]
    return Partition(k, atoms_so_far, when, release_number)


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
