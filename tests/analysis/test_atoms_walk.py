"""The atoms formed level by level (:func:`analysis._atoms.extend_release`) are exactly those of
the plain walk the rule describes — one node at a time, deepest first then by code; at each
node the position-and-language groups, then the position groups, then the rest — for random
unit trees, results, outstanding invitations and sequences of releases."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis._atoms import Organisation, People, _tree, extend_release


def _walk(previous, org, people, k, outstanding):
    n = people.n
    atom = np.full(n, -1, dtype=np.int64)
    when = np.zeros(0, dtype=np.int64)
    if previous is not None:
        atom[:previous.n] = previous.atom
        when = previous.atom_release
    parent, depth = _tree(org)
    n_units = org.unit_parent.shape[0]
    node = np.where(people.unit >= 0, people.unit, n_units + people.body)
    waiting = np.zeros(parent.shape[0], dtype=np.int64)
    if outstanding is not None:
        waiting[:n_units] = outstanding
    for v in sorted(range(parent.shape[0]), key=lambda v: -depth[v]):
        if parent[v] >= 0:
            waiting[parent[v]] += waiting[v]
    n_lang = max(int(np.max(people.language, initial=-1)), 0) + 2
    keys = [(people.position + 1) * n_lang + people.language + 1, people.position]
    pools = {v: [i for i in range(n) if atom[i] < 0 and node[i] == v]
             for v in range(parent.shape[0])}
    formed = []
    for v in sorted(range(parent.shape[0]), key=lambda v: (-depth[v], v)):
        members = sorted(pools[v])
        for key in keys:
            groups = {}
            for i in members:
                groups.setdefault(int(key[i]), []).append(i)
            big = [groups[g] for g in sorted(groups) if len(groups[g]) >= k]
            formed += big
            members = sorted(set(members) - {i for g in big for i in g})
        if len(members) >= k:
            formed.append(members)
        elif members and len(members) + waiting[v] < k and parent[v] >= 0:
            pools[int(parent[v])] += members
    for j, members in enumerate(formed):
        atom[members] = when.shape[0] + j
    return atom


@st.composite
def _cases(draw):
    n_bodies = draw(st.integers(1, 4))
    n_units = draw(st.integers(0, 10))
    unit_body = np.array([draw(st.integers(0, n_bodies - 1)) for _ in range(n_units)],
                         dtype=np.intp)
    unit_parent = np.full(n_units, -1, dtype=np.intp)
    for u in range(n_units):
        same = [p for p in range(u) if unit_body[p] == unit_body[u]]
        if same and draw(st.booleans()):
            unit_parent[u] = draw(st.sampled_from(same))
    n = draw(st.integers(0, 120))
    unit = np.array([draw(st.integers(-1, n_units - 1)) for _ in range(n)], dtype=np.intp)
    free_body = [draw(st.integers(0, n_bodies - 1)) for _ in range(n)]
    body = np.array([unit_body[u] if u >= 0 else b for u, b in zip(unit, free_body, strict=True)],
                    dtype=np.intp)
    position = np.array([draw(st.integers(-1, 3)) for _ in range(n)], dtype=np.intp)
    language = np.array([draw(st.integers(-1, 2)) for _ in range(n)], dtype=np.intp)
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3))) + [n]
    outstanding = [np.array([draw(st.integers(0, 5)) for _ in range(n_units)], dtype=np.int64)
                   for _ in cuts[:-1]] + [None]
    return (Organisation(unit_parent, unit_body, n_bodies), People(body, unit, position, language),
            draw(st.integers(1, 6)), cuts, outstanding)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(_cases())
def test_the_level_by_level_atoms_are_the_walks(case):
    org, people, k, cuts, outstanding = case
    partition = None
    for cut, waiting in zip(cuts, outstanding, strict=True):
        part = People(people.body[:cut], people.unit[:cut], people.position[:cut],
                      people.language[:cut])
        expected = _walk(partition, org, part, k, waiting)
        partition = extend_release(partition, org, part, k, waiting)
        np.testing.assert_array_equal(partition.atom, expected)
