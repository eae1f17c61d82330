"""The atoms of the disclosure gate (private): the organisation tree, the finished results and
the :class:`Partition` of them into fixed atoms of at least ``k``, grown by
:func:`extend_release`. Import these from :mod:`analysis.privacy`.

Every number about people that leaves the server is a sum over whole *atoms*: fixed groups of
at least k released results, formed once and never changed. Whatever an analyst adds or
subtracts — across filters, tables, exports and moments — is then a combination of atom sums,
and no combination of atom sums describes fewer than k people. See analysis/README.md
("The disclosure gate") for the rule in plain words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike, NDArray

DEFAULT_K = 5


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


def _runs(members: NDArray[np.intp], at: NDArray[np.intp], key: NDArray[np.int64], k: int
          ) -> tuple[NDArray[np.intp], NDArray[np.intp], NDArray[np.intp], NDArray[np.int64],
                     NDArray[np.intp], NDArray[np.intp]]:
    """Group ``members`` (at nodes ``at``) by node and ``key``. Returns the members of the
    groups of at least ``k``, each one's group (0.. in (node, key) order), each group's node and
    key, and the other members with their nodes."""
    keys = key[members]
    order = np.lexsort((keys, at))
    nodes, keys, rows = at[order], keys[order], members[order]
    starts = np.flatnonzero(np.r_[True, (nodes[1:] != nodes[:-1]) | (keys[1:] != keys[:-1])])
    sizes = np.diff(np.r_[starts, rows.size])
    big = sizes >= k
    group_of = np.repeat(np.arange(starts.size), sizes)
    taken = big[group_of]
    number = np.cumsum(big) - 1
    return (rows[taken], number[group_of[taken]].astype(np.intp), nodes[starts[big]],
            keys[starts[big]], rows[~taken], nodes[~taken])


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

    # One pass per depth, deepest first: every node of a depth at once (grouped by sorting
    # on node and key), the rests handed up to the next depth.
    pool = np.flatnonzero(atoms_so_far < 0).astype(np.intp)
    pool_at = node[pool]
    first = next_atom = when.shape[0]
    no_key = np.zeros(n, dtype=np.int64)
    for level in range(int(depth.max(initial=0)), -1, -1):
        here = depth[pool_at] == level
        members, at = pool[here], pool_at[here]
        pool, pool_at = pool[~here], pool_at[~here]
        if members.size == 0:
            continue
        formed: list[tuple[NDArray[np.intp], NDArray[np.intp]]] = []
        group_node: list[NDArray[np.intp]] = []
        group_key: list[NDArray[np.int64]] = []
        for key in (by_position_language, by_position, no_key):
            rows, group, nodes, keys, members, at = _runs(members, at, key, k)
            formed.append((rows, group))
            group_node.append(nodes)
            group_key.append(keys)
        # Atom numbers: by node code, then phase, then key — the order of the node walk.
        sizes = [g.size for g in group_node]
        phase = np.repeat(np.arange(3), sizes)
        rank = np.empty(phase.size, dtype=np.int64)
        rank[np.lexsort((np.concatenate(group_key), phase, np.concatenate(group_node)))] = \
            np.arange(phase.size)
        offset = 0
        for (rows, group), size in zip(formed, sizes, strict=True):
            atoms_so_far[rows] = next_atom + rank[group + offset]
            offset += size
        next_atom += phase.size
        if members.size:  # rests under k: up to the parent unless they wait for late finishers
            rest = np.bincount(at, minlength=parent.shape[0])[at]
            up = (rest + waiting[at] < k) & (parent[at] >= 0)
            pool = np.r_[pool, members[up]]
            pool_at = np.r_[pool_at, parent[at[up]]]
    when = np.r_[when, np.full(next_atom - first, release_number, dtype=np.int64)]
    return Partition(k, atoms_so_far, when, release_number)
