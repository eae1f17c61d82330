"""The disclosure auditor: everything an HR account can read, written as linear equations over
individual people, and a check of which small groups those equations pin down.

The attacker is as strong as we can make them: they know, for every published figure, exactly
which results it covers (an identified campaign, the invitation list and the staff list give
that), they read every filter combination at every moment, and they solve the whole system.
Unknowns are per-person values: a score, the right/wrong of each test item, the need for each
course, and the one-hot level (each person is at exactly one level, which the attacker knows
too). A published figure over a set S of people gives the row 1_S for the value it shows.

A group G (1 to k−1 people) is *exposed* for a value when 1_G lies in the row space: then its
count, sum and mean follow from published figures. The check reduces people to classes of
identical membership across all rows (a row-space vector is constant on each class, so G must
be a union of classes), takes the null space N of the class-level system, and looks for unions
of small classes whose vectors N^T 1_c add up to zero — the same linear algebra that Gaussian
elimination based suppression checks (Langsrud's GaussSuppression) rely on.

Two publishers are modelled: :func:`current_rule` (the app's rule before the gate: 1-D/2-D
``suppress`` on each table plus the ``differencing`` check of ``survey/hr/report.py``, applied
per filter combination at each moment of a live feed) and :func:`gate` (everything through
``analysis.privacy.release`` and ``release_table`` at each release).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, replace
from itertools import combinations, product

import numpy as np
from numpy.typing import NDArray

from analysis.privacy import (
    Organisation,
    Partition,
    People,
    Released,
    extend_release,
    release,
    release_table,
)
from analysis.suppression import suppress

LEVELS = 5
Mask = NDArray[np.bool_]


@dataclass(frozen=True)
class World:
    """An organisation, its people in finishing order (person i is the i-th to finish), their
    values, and the moments at which HR reads (numbers of results finished by then)."""

    k: int
    unit_body: NDArray[np.intp]  # (U,)
    unit_parent: NDArray[np.intp]  # (U,), −1 = top unit of its body
    governance: NDArray[np.intp]  # (B,)
    sector: NDArray[np.intp]  # (B,)
    body: NDArray[np.intp]  # (n,)
    unit: NDArray[np.intp]  # (n,), −1 = directly under the body
    position: NDArray[np.intp]  # (n,)
    language: NDArray[np.intp]  # (n,)
    level: NDArray[np.intp]  # (n,), 1..5
    needs: NDArray[np.bool_]  # (n, n_courses)
    score_missing: NDArray[np.bool_]  # (n,)
    moments: tuple[int, ...]
    never_finish: NDArray[np.intp] = field(default_factory=lambda: np.zeros(0, dtype=np.intp))
    closed: bool = True  # the last moment is the campaign's close

    @property
    def n(self) -> int:
        return int(self.body.shape[0])

    @property
    def n_bodies(self) -> int:
        return int(self.governance.shape[0])

    @property
    def n_units(self) -> int:
        return int(self.unit_body.shape[0])

    @property
    def organisation(self) -> Organisation:
        return Organisation(self.unit_parent, self.unit_body, self.n_bodies)

    def people(self, t: int) -> People:
        return People(self.body[:t], self.unit[:t], self.position[:t], self.language[:t])

    def outstanding(self, t: int) -> NDArray[np.int64] | None:
        """Invitations per unit not finished at moment t (None at the close)."""
        if self.closed and t == self.moments[-1]:
            return None
        later = self.unit[t:]
        counts = np.bincount(later[later >= 0], minlength=self.n_units)[:self.n_units]
        extra = self.never_finish if self.never_finish.size else np.zeros(self.n_units, np.intp)
        return (counts + extra).astype(np.int64)


def flat_world(k: int, units: list[list[tuple[int, int, int]]], **values: object) -> World:
    """A one-body world with flat units; ``units[u]`` lists (position, language, count) groups.
    Everyone finishes; HR reads once, at the close. ``values`` override World fields."""
    unit, position, language = [], [], []
    for u, groups in enumerate(units):
        for pos, lang, count in groups:
            unit += [u] * count
            position += [pos] * count
            language += [lang] * count
    n = len(unit)
    world = World(
        k=k, unit_body=np.zeros(len(units), np.intp), unit_parent=np.full(len(units), -1, np.intp),
        governance=np.zeros(1, np.intp), sector=np.zeros(1, np.intp), body=np.zeros(n, np.intp),
        unit=np.array(unit, np.intp), position=np.array(position, np.intp),
        language=np.array(language, np.intp), level=np.full(n, 3, np.intp),
        needs=np.zeros((n, 1), bool), score_missing=np.zeros(n, bool), moments=(n,),
    )
    return replace(world, **values)  # type: ignore[arg-type]


# ------------------------------------------------------------------------------ the equations

@dataclass
class Publication:
    """Published rows per value: ``rows[family][column]`` is a list of masks over all people.
    A family is checked as one system; ``one_hot`` families couple their columns (levels)."""

    n: int
    rows: dict[str, list[list[Mask]]] = field(default_factory=dict)
    one_hot: set[str] = field(default_factory=set)

    def add(self, family: str, column: int, mask: Mask) -> None:
        columns = self.rows.setdefault(family, [])
        while len(columns) <= column:
            columns.append([])
        if mask.any():
            columns[column].append(mask)


@dataclass(frozen=True)
class Exposure:
    """A group of fewer than k people whose value ``family[column]`` the rows determine."""

    family: str
    column: int
    people: tuple[int, ...]


def _null_space(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    if matrix.shape[0] == 0:
        return np.eye(matrix.shape[1])
    _u, s, vt = np.linalg.svd(matrix, full_matrices=True)
    rank = int(np.count_nonzero(s > 1e-8))
    return vt[rank:].T


def classes(rows: NDArray[np.bool_]) -> tuple[NDArray[np.intp], NDArray[np.int64], NDArray[np.bool_]]:
    """People with identical membership over ``rows`` (r, n): class of each person, class
    sizes, and whether the class is in any row."""
    signature, inverse, sizes = np.unique(rows.T, axis=0, return_inverse=True, return_counts=True)
    in_rows: NDArray[np.bool_] = np.asarray(signature.any(axis=1), dtype=bool)
    return inverse.ravel().astype(np.intp), sizes.astype(np.int64), in_rows


def exposures(publication: Publication, k: int, limit: int = 50,
              max_nodes: int = 200_000) -> list[Exposure]:
    """Every exposed group (up to ``limit``), family by family."""
    found: list[Exposure] = []
    for family, columns in publication.rows.items():
        coupled = family in publication.one_hot
        systems = [list(range(len(columns)))] if coupled else [[c] for c in range(len(columns))]
        for system in systems:
            found += _exposed(publication.n, family, [columns[c] for c in system], system,
                              coupled, k, limit - len(found), max_nodes)
            if len(found) >= limit:
                return found
    return found


def _exposed(n: int, family: str, blocks: list[list[Mask]], columns: list[int], coupled: bool,
             k: int, limit: int, max_nodes: int) -> list[Exposure]:
    matrices = [np.unique(np.array(b, dtype=bool), axis=0) if b else np.zeros((0, n), bool)
                for b in blocks]
    stacked = np.vstack(matrices)
    if stacked.shape[0] == 0:
        return []
    person_class, sizes, _in_rows = classes(stacked)
    n_classes = sizes.size
    representative = np.zeros(n_classes, dtype=np.intp)
    representative[person_class[::-1]] = np.arange(n)[::-1]
    parts = []
    for b, matrix in enumerate(matrices):
        part = np.zeros((matrix.shape[0], n_classes * len(blocks)))
        part[:, b * n_classes:(b + 1) * n_classes] = matrix[:, representative]
        parts.append(part)
    if coupled:
        parts.append(np.tile(np.eye(n_classes), (1, len(blocks))))
    null = _null_space(np.vstack(parts))
    small = [c for c in np.argsort(sizes, kind="stable") if sizes[c] < k]
    found: list[Exposure] = []
    for b, column in enumerate(columns):
        vectors = null[b * n_classes:(b + 1) * n_classes]
        for group in _zero_sums(vectors, sizes, small, k, max_nodes):
            people = tuple(int(i) for i in np.flatnonzero(np.isin(person_class, group)))
            found.append(Exposure(family, column, people))
            if len(found) >= limit:
                return found
    return found


def _zero_sums(vectors: NDArray[np.float64], sizes: NDArray[np.int64], small: list[int], k: int,
               max_nodes: int) -> Iterator[list[int]]:
    """Unions of small classes, fewer than k people in all, whose null-space vectors add up to
    zero (depth-first, smallest classes first)."""
    if vectors.shape[1] == 0:  # nothing is unknown: every group is determined
        for c in small:
            yield [int(c)]
        return
    budget = [max_nodes]

    def walk(start: int, chosen: list[int], total: int, vector: NDArray[np.float64]) -> Iterator[list[int]]:
        for i in range(start, len(small)):
            c = small[i]
            if total + sizes[c] >= k:
                break  # sorted by size: every later class is at least as large
            budget[0] -= 1
            if budget[0] < 0:
                return
            summed = vector + vectors[c]
            if np.abs(summed).max() < 1e-7:
                yield [*chosen, int(c)]
            yield from walk(i + 1, [*chosen, int(c)], total + int(sizes[c]), summed)

    yield from walk(0, [], 0, np.zeros(vectors.shape[1]))


# ------------------------------------------------------------------------------ the lattice

def subtree(world: World) -> NDArray[np.bool_]:
    """(U, U): unit a is u or below u."""
    inside = np.eye(world.n_units, dtype=bool)
    for a in range(world.n_units):
        up = world.unit_parent[a]
        while up >= 0:
            inside[up, a] = True
            up = world.unit_parent[up]
    return inside


def lattice(world: World) -> NDArray[np.bool_]:
    """Every selection an HR account can make (distinct, non-empty), as masks over all people:
    body × unit (the unit itself, or its subtree) × position × language × governance level ×
    sector, each dimension also "all"."""
    everyone = np.ones((1, world.n), dtype=bool)
    has_unit = world.unit >= 0
    own = world.unit[None, :] == np.arange(world.n_units)[:, None]
    below = np.zeros((0, world.n), dtype=bool)
    if world.n_units:
        below = subtree(world)[:, np.maximum(world.unit, 0)] & has_unit[None, :]
    gov, sec = world.governance[world.body], world.sector[world.body]
    dims = [
        world.body[None, :] == np.arange(world.n_bodies)[:, None],
        np.vstack([own, below]),
        world.position[None, :] == np.unique(world.position)[:, None],
        world.language[None, :] == np.unique(world.language)[:, None],
        gov[None, :] == np.unique(gov)[:, None],
        sec[None, :] == np.unique(sec)[:, None],
    ]
    masks = everyone
    for options in dims:
        options = np.vstack([everyone, options])
        masks = (masks[:, None, :] & options[None, :, :]).reshape(-1, world.n)
        masks = np.unique(masks, axis=0)
    return masks[masks.any(axis=1)]


# ------------------------------------------------------------------------------ the gate

Extend = Callable[[Partition | None, World, int], Partition]


def gate_extend(previous: Partition | None, world: World, t: int) -> Partition:
    return extend_release(previous, world.organisation, world.people(t), world.k, world.outstanding(t))


def _probe_rows(result: object, t: int, n: int) -> list[Mask]:
    """Rows of a release probed with identity values: column j's sum says whether person j is
    in the figure (the gate is treated as a black box)."""
    if not isinstance(result, Released):
        return []
    row = np.zeros(n, dtype=bool)
    row[:t] = result.sums > 0.5
    return [row]


def gate(world: World, extend: Extend = gate_extend) -> tuple[Publication, list[Partition]]:
    """Everything the gate publishes for every selection of the lattice at every moment: the
    selection's figures (with and without missing values), and its by-unit, by-position and
    by-language tables."""
    publication = Publication(world.n, one_hot={"level"})
    partition: Partition | None = None
    partitions = []
    selections = lattice(world)
    for t in world.moments:
        partition = extend(partition, world, t)
        partitions.append(partition)
        identity = np.eye(t)
        with_missing = np.where(world.score_missing[:t, None], np.nan, identity)
        masks = np.unique(selections[:, :t], axis=0)
        for mask in masks[masks.any(axis=1)]:
            plain = _probe_rows(release(partition, mask, identity), t, world.n)
            scored = _probe_rows(release(partition, mask, with_missing), t, world.n)
            tables = []
            for codes in (world.unit[:t], world.position[:t], world.language[:t]):
                n_groups = int(codes.max(initial=0)) + 1
                table = release_table(partition, mask, codes, n_groups, identity)
                for g in np.flatnonzero(table.published):
                    row = np.zeros(world.n, dtype=bool)
                    row[:t] = table.sums[g] > 0.5
                    tables.append(row)
            for row in [*plain, *tables]:
                publication.add("counts, items and courses", 0, row)
                for level in range(LEVELS):
                    publication.add("level", level, row)
            for row in scored:
                publication.add("score", 0, row)
    return publication, partitions


def determined(publication: Publication, family: str, column: int, mask: Mask) -> bool:
    """Whether the sum of ``family[column]`` over ``mask`` follows from the published rows
    (whether a figure that was withheld comes back)."""
    rows = publication.rows.get(family, [])
    published = rows[column] if column < len(rows) else []
    if not published:
        return False
    matrix = np.unique(np.array(published, dtype=float), axis=0)
    null = _null_space(matrix)
    return bool(np.abs(mask.astype(float) @ null).max(initial=0.0) < 1e-7)


def certificate(publication: Publication, k: int) -> list[int]:
    """Sizes of the classes smaller than k that appear in some published row. When there are
    none, every determined linear combination of values involves at least k people."""
    small = []
    for columns in publication.rows.values():
        rows = [r for column in columns for r in column]
        if rows:
            _person, sizes, in_rows = classes(np.array(rows))
            small += [int(s) for s in sizes[in_rows & (sizes < k)]]
    return small


# ------------------------------------------------------------------------------ the current rule

@dataclass(frozen=True)
class Filters:
    """The dashboard's filters (``survey.hr.report.Filters``; the scope is every body)."""

    organisation: int | None = None
    unit: int | None = None
    governance_level: int | None = None
    sector: int | None = None
    position: int | None = None


def filter_mask(world: World, filters: Filters, t: int) -> Mask:
    """``row_mask``: results finished by moment t that the filters keep (unit = the unit itself)."""
    mask = np.arange(world.n) < t
    if filters.organisation is not None:
        mask &= world.body == filters.organisation
    if filters.unit is not None:
        mask &= world.unit == filters.unit
    if filters.governance_level is not None:
        mask &= world.governance[world.body] == filters.governance_level
    if filters.sector is not None:
        mask &= world.sector[world.body] == filters.sector
    if filters.position is not None:
        mask &= world.position == filters.position
    return mask


def wider_selections(filters: Filters) -> list[Filters]:
    """``survey.hr.report.wider_selections``: the selection with some of its filters dropped."""
    chosen = [f.name for f in fields(filters) if getattr(filters, f.name) is not None]
    return [replace(filters, **{name: None for name in chosen if name not in kept})
            for size in range(len(chosen)) for kept in combinations(chosen, size)]


def _counts(codes: NDArray[np.intp], rows: Mask, n: int) -> NDArray[np.int64]:
    picked = codes[rows]
    return np.bincount(picked[picked >= 0], minlength=n)[:n].astype(np.int64)


def current_rule(world: World) -> Publication:
    """What the app published before the gate, as a live feed read at every moment: per filter
    combination, the ``differencing`` check, then the dashboard (overall figure, by-unit and
    by-position tables, respondents by level), the item-quality table and the trainer plan
    (course counts and per-unit cohort counts), each with ``suppress`` as the app calls it."""
    k, n_units = world.k, world.n_units
    n_positions = int(world.position.max(initial=0)) + 1
    publication = Publication(world.n, one_hot={"level"})
    options = [
        [None, *range(world.n_bodies)], [None, *range(n_units)],
        [None, *np.unique(world.governance).tolist()], [None, *np.unique(world.sector).tolist()],
        [None, *range(n_positions)],
    ]
    for t in world.moments:
        for org, unit, gov, sec, pos in product(*options):
            filters = Filters(org, unit, gov, sec, pos)
            rows = filter_mask(world, filters, t)
            if not rows.any():
                continue
            units = _counts(world.unit, rows, n_units)
            positions = _counts(world.position, rows, n_positions)
            whole = False
            hidden_units = np.zeros(n_units, dtype=bool)
            hidden_positions = np.zeros(n_positions, dtype=bool)
            for wider in wider_selections(filters):
                mask = filter_mask(world, wider, t)
                whole |= 0 < int(mask.sum()) - int(rows.sum()) < k
                extra = _counts(world.unit, mask, n_units) - units
                hidden_units |= (extra > 0) & (extra < k)
                extra = _counts(world.position, mask, n_positions) - positions
                hidden_positions |= (extra > 0) & (extra < k)
            if whole:
                continue  # safe_rows: the selection is withheld, everything in it is empty
            _dashboard(world, publication, rows, units, positions, hidden_units, hidden_positions)
            _plan(world, publication, rows)
    return publication


def _dashboard(world: World, publication: Publication, rows: Mask, units: NDArray[np.int64],
               positions: NDArray[np.int64], hidden_units: Mask, hidden_positions: Mask) -> None:
    k = world.k
    n = int(rows.sum())
    if n >= k:  # one group: shown unless smaller than k
        publication.add("score", 0, rows)
        publication.add("items", 0, rows)  # compute_quality: nothing below k test takers
    hidden = suppress(units, k, world.unit_body, hidden_units)
    for u in np.flatnonzero(~hidden & (units > 0)):
        publication.add("score", 0, rows & (world.unit == u))
    hidden = suppress(positions, k, also_hidden=hidden_positions)
    for p in np.flatnonzero(~hidden & (positions > 0)):
        publication.add("score", 0, rows & (world.position == p))
    level_counts = _counts(world.level - 1, rows, LEVELS)
    for level in np.flatnonzero(~suppress(level_counts, k)):  # a shown 0 is published too
        publication.add("level", int(level), rows)


def _plan(world: World, publication: Publication, rows: Mask) -> None:
    """``build_plan``: nothing below k people; a course fewer than k need is left out, and the
    page says whether any course was left out (so, when none was, every missing course is 0)."""
    k = world.k
    if int(rows.sum()) < k:
        return
    totals = world.needs[rows].sum(axis=0)
    left_out = bool(np.any((totals > 0) & (totals < k)))
    for c, total in enumerate(totals):
        if total >= k:
            publication.add("courses", c, rows)
            takers = rows & world.needs[:, c]
            counts = _counts(world.unit, takers, world.n_units)
            hidden = suppress(counts, k, world.unit_body)
            for u in np.flatnonzero(~hidden & (counts > 0)):
                publication.add("courses", c, rows & (world.unit == u))
        elif not left_out:
            publication.add("courses", c, rows)
