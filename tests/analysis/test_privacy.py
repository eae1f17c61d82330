import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.suppression import group_counts, suppress


def line_is_safe(counts, hidden, k):
    """The documented rule for one line whose total is published."""
    nonzero = counts > 0
    hidden_counts = counts[hidden & nonzero]
    if hidden_counts.size == 0 or np.all(hidden[nonzero]):
        return True
    return hidden_counts.size >= 2 and hidden_counts.sum() >= k and hidden_counts.sum() > hidden_counts.size


def recoverable_cells(counts, hidden):
    """Hidden non-empty cells whose value an attacker pins down from the shown cells and the
    total, knowing each non-empty group has at least one person: value v of one cell is
    possible when the other m − 1 hidden cells (each ≥ 1) can make up the rest."""
    idx = np.flatnonzero(hidden & (counts > 0))
    total_hidden = int(counts[idx].sum())
    others = idx.size - 1
    pinned = []
    for i in idx:
        possible = [
            v for v in range(1, total_hidden + 1)
            if (others == 0 and v == total_hidden) or (others > 0 and total_hidden - v >= others)
        ]
        if len(possible) == 1:
            pinned.append(i)
    return pinned


def test_a_single_small_group_takes_the_next_smallest_with_it():
    hidden = suppress([3, 10, 8, 20], k=5)
    np.testing.assert_array_equal(hidden, [True, False, True, False])


def test_two_tiny_groups_are_not_safe_together_and_pull_in_a_third():
    # 1 + 1 = 2 < 5: a combined figure would still describe two people.
    np.testing.assert_array_equal(suppress([1, 1, 9, 7], k=5), [True, True, False, True])


def test_empty_groups_are_neither_hidden_nor_used_as_complements():
    np.testing.assert_array_equal(suppress([0, 2, 0, 6, 9], k=5), [False, True, False, True, False])


def test_nothing_is_hidden_when_every_group_is_large_enough():
    assert not suppress([5, 6, 100], k=5).any()


def test_complements_are_chosen_within_each_parent_total():
    counts = np.array([2, 30, 40, 3, 50, 60])
    parent = np.array([0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(suppress(counts, 5, parent), [True, True, False, True, True, False])


def test_a_two_dimensional_table_is_protected_in_rows_and_columns():
    table = np.array([[2, 10, 12], [9, 11, 14], [8, 7, 20]])
    hidden = suppress(table, k=5)
    for line_counts, line_hidden in [*zip(table, hidden, strict=True), *zip(table.T, hidden.T, strict=True)]:
        assert line_is_safe(line_counts, line_hidden, 5)
    assert hidden[0, 0]


def test_k_of_one_suppresses_nothing_and_bad_input_is_refused():
    assert not suppress([1, 2, 3], k=1).any()
    with pytest.raises(ValueError, match="non-negative"):
        suppress([1, -2], k=5)
    with pytest.raises(ValueError, match="parent"):
        suppress([1, 2], k=5, parent=[0])


def test_group_counts_ignore_people_without_a_group():
    np.testing.assert_array_equal(group_counts(np.array([0, 2, 2, -1]), 4), [1, 0, 2, 0])


counts_1d = st.lists(st.integers(0, 12), min_size=1, max_size=7).map(np.array)


@settings(max_examples=300, deadline=None)
@given(counts=counts_1d, k=st.integers(1, 8))
def test_suppression_never_leaks_a_small_group(counts, k):
    hidden = suppress(counts, k)
    assert np.all(hidden[(counts > 0) & (counts < k)]), "every small group is hidden"
    assert not np.any(hidden[counts == 0])
    assert line_is_safe(counts, hidden, k)
    if not np.all(hidden[counts > 0]):
        # Shown cells and the total leave every hidden cell undetermined.
        assert recoverable_cells(counts, hidden) == []


@settings(max_examples=200, deadline=None)
@given(counts=counts_1d, k=st.integers(1, 8), data=st.data())
def test_suppression_does_not_depend_on_the_order_of_groups_up_to_ties(counts, k, data):
    permutation = np.array(data.draw(st.permutations(range(counts.size))))
    hidden = suppress(counts, k)
    hidden_permuted = suppress(counts[permutation], k)
    # The same number of people is hidden, whichever groups of equal size were taken.
    assert counts[hidden].sum() == counts[permutation][hidden_permuted].sum()


@settings(max_examples=200, deadline=None)
@given(
    table=st.integers(1, 4).flatmap(
        lambda cols: st.lists(st.lists(st.integers(0, 15), min_size=cols, max_size=cols), min_size=1, max_size=4)
    ).map(np.array),
    k=st.integers(2, 6),
)
def test_every_row_and_column_of_a_table_is_safe(table, k):
    hidden = suppress(table, k)
    assert np.all(hidden[(table > 0) & (table < k)])
    for line_counts, line_hidden in [*zip(table, hidden, strict=True), *zip(table.T, hidden.T, strict=True)]:
        assert line_is_safe(line_counts, line_hidden, k)


def test_a_cell_hidden_for_another_reason_is_protected_like_a_small_one():
    from analysis.suppression import suppress

    counts = np.array([10, 12, 30])
    forced = np.array([False, True, False])
    hidden = suppress(counts, k=5, also_hidden=forced)
    assert hidden[1]
    # With the total published, one hidden cell alone could be recovered: a second one hides.
    assert hidden.sum() == 2
    assert not suppress(counts, k=5).any()


def test_group_results_honour_cells_hidden_for_another_reason(model):
    from analysis.culture import group_culture
    from analysis.gaps import gap_summary

    scores = np.array([3.0] * 10 + [4.0] * 12 + [2.0] * 30)
    groups = np.repeat([0, 1, 2], [10, 12, 30])
    forced = np.array([False, True, False])
    culture = group_culture(model, scores, groups, 3, k=5, also_hidden=forced)
    assert np.isnan(culture.mean[1])
    assert np.isnan(culture.mean).sum() == 2
    gaps = np.ones((52, 2))
    summary = gap_summary(gaps, groups, 3, k=5, also_hidden=forced)
    assert summary.suppressed[1]
    assert summary.suppressed.sum() == 2


# ------------------------------------------------------------------ the disclosure gate

from analysis.privacy import (  # noqa: E402
    Organisation,
    Partition,
    People,
    Released,
    Withheld,
    extend_release,
    is_exact,
    one_hot,
    release,
    release_table,
)

FLAT_TWO = Organisation(np.array([-1, -1]), np.array([0, 0]), 1)
# Body 0: unit 0 with children 1 and 2; body 1: unit 3.
TREE = Organisation(np.array([-1, 0, 0, -1]), np.array([0, 0, 0, 1]), 2)


def people_of(units, org, positions=None, languages=None):
    units = np.asarray(units, dtype=np.intp)
    n = units.size
    return People(org.unit_body[units], units,
                  np.zeros(n, np.intp) if positions is None else np.asarray(positions, np.intp),
                  np.zeros(n, np.intp) if languages is None else np.asarray(languages, np.intp))


def test_a_unit_of_k_is_one_atom_and_a_smaller_one_waits_while_it_can_still_grow():
    people = people_of([0] * 5 + [1] * 3, FLAT_TWO)
    partition = extend_release(None, FLAT_TWO, people, 5, outstanding=[0, 4])
    assert partition.atom.tolist() == [0] * 5 + [-1] * 3
    assert partition.pending == 3
    assert partition.releases == 1


def test_leftovers_that_cannot_reach_k_go_up_and_join_their_parents_pool():
    # Children 1 and 2 hold 3 and 2 results and nobody else is expected: one atom at unit 0.
    people = people_of([1, 1, 1, 2, 2], TREE)
    partition = extend_release(None, TREE, people, 5, outstanding=[0, 0, 0, 0])
    assert partition.atom.tolist() == [0] * 5
    whole = np.ones(5, bool)
    assert isinstance(release(partition, people.unit == 1), Withheld)
    assert release(partition, whole).count == 5


def test_atoms_prefer_one_position_and_language_then_one_position_then_the_unit():
    positions = [0] * 5 + [0] * 5 + [1] * 3 + [2] * 2
    languages = [0] * 5 + [1] * 5 + [0] * 3 + [1] * 2
    people = people_of([0] * 15, FLAT_TWO, positions, languages)
    partition = extend_release(None, FLAT_TWO, people, 5)
    assert partition.atom.tolist() == [0] * 5 + [1] * 5 + [2] * 5
    # Position 0 and each of its languages are published exactly; position 1 is not.
    position = np.asarray(positions)
    assert is_exact(partition, position == 0)
    assert is_exact(partition, (position == 0) & (np.asarray(languages) == 1))
    assert not is_exact(partition, position == 1)
    assert isinstance(release(partition, position == 1), Withheld)


def test_a_release_never_changes_an_atom_and_late_finishers_form_new_ones():
    first = people_of([0] * 6, FLAT_TWO)
    p1 = extend_release(None, FLAT_TWO, first, 5, outstanding=[4, 0])
    later = people_of([0] * 9, FLAT_TWO)
    p2 = extend_release(p1, FLAT_TWO, later, 5, outstanding=[1, 0])
    assert p2.atom.tolist() == [0] * 6 + [-1] * 3  # three late finishers wait (1 more is due)
    p3 = extend_release(p2, FLAT_TWO, people_of([0] * 10, FLAT_TWO), 5, outstanding=[0, 0])
    assert p3.atom[:6].tolist() == [0] * 6
    assert p3.atom[6:].tolist() == [-1] * 4
    assert p3.pending == 4  # four can never make a group of 5: they stay out of every figure
    assert p3.atom_release.tolist() == [1]
    assert release(p3, np.ones(10, bool)).waiting == 4


def test_the_close_hands_leftovers_up_to_the_campaign_and_keeps_the_rest_pending():
    # Bodies 0 and 1 each end with fewer than k: together they make an atom of the campaign.
    people = people_of([0, 0, 3, 3, 3], TREE)
    partition = extend_release(None, TREE, people, 5, outstanding=None)
    assert partition.atom.tolist() == [0] * 5
    assert isinstance(release(partition, people.body == 0), Withheld)
    assert release(partition, np.ones(5, bool)).count == 5
    alone = extend_release(None, TREE, people_of([0, 0, 3], TREE), 5)
    assert alone.pending == 3
    assert alone.n_atoms == 0


def test_released_figures_are_sums_over_whole_atoms_with_when_and_what_waits():
    people = people_of([0] * 5 + [1] * 5, FLAT_TWO)
    p1 = extend_release(None, FLAT_TWO, people_of([0] * 5, FLAT_TWO), 5, outstanding=[0, 5])
    p2 = extend_release(p1, FLAT_TWO, people, 5, outstanding=[0, 0])
    scores = np.arange(10, dtype=float)
    everyone = np.ones(10, bool)
    now = release(p2, everyone, scores)
    assert isinstance(now, Released)
    assert (now.count, now.as_of, now.waiting, now.exact) == (10, 2, 0, True)
    assert now.means[0] == pytest.approx(scores.mean())
    before = release(p2, everyone, scores, as_of=1)
    assert isinstance(before, Released)
    assert (before.count, before.as_of, before.waiting) == (5, 1, 5)
    assert before.sums[0] == pytest.approx(scores[:5].sum())


def test_a_column_leaves_out_an_atom_with_fewer_than_k_values():
    partition = extend_release(None, FLAT_TWO, people_of([0] * 5 + [1] * 5, FLAT_TWO), 5)
    scores = np.r_[np.arange(5.0), [np.nan] * 4, 7.0]
    result = release(partition, np.ones(10, bool), np.c_[scores, np.ones(10)])
    assert isinstance(result, Released)
    np.testing.assert_array_equal(result.n_valid, [5, 10])
    assert result.sums[0] == pytest.approx(10.0)


def test_restoring_a_partition_checks_what_was_stored():
    assert Partition.restore(2, [0, 0, -1], [1], 1).pending == 1
    with pytest.raises(ValueError, match="at least k"):
        Partition.restore(3, [0, 0, -1], [1], 1)
    with pytest.raises(ValueError, match="release numbers"):
        Partition.restore(1, [0, 1], [2, 1], 2)
    with pytest.raises(ValueError, match="k cannot change"):
        extend_release(Partition.restore(2, [0, 0], [1], 1), FLAT_TWO, people_of([0, 0], FLAT_TWO), 3)


def test_one_hot_turns_levels_into_a_distribution_the_gate_releases():
    levels = np.array([1, 2, 2, 5, 1, 3])
    partition = extend_release(None, FLAT_TWO, people_of([0] * 6, FLAT_TWO), 5)
    result = release(partition, np.ones(6, bool), one_hot(levels - 1, 5))
    assert isinstance(result, Released)
    np.testing.assert_array_equal(result.sums, [2, 2, 1, 0, 1])


@st.composite
def gate_cases(draw):
    n_units = draw(st.integers(1, 6))
    parent = [-1]
    for u in range(1, n_units):
        parent.append(draw(st.integers(-1, u - 1)))
    org = Organisation(np.array(parent, np.intp), np.zeros(n_units, np.intp), 1)
    n = draw(st.integers(0, 60))
    units = draw(st.lists(st.integers(-1, n_units - 1), min_size=n, max_size=n))
    positions = draw(st.lists(st.integers(-1, 2), min_size=n, max_size=n))
    languages = draw(st.lists(st.integers(-1, 1), min_size=n, max_size=n))
    people = People(np.zeros(n, np.intp), np.array(units, np.intp), np.array(positions, np.intp),
                    np.array(languages, np.intp))
    cuts = sorted(draw(st.lists(st.integers(0, n), max_size=3)) + [n])
    return org, people, cuts, draw(st.integers(1, 6)), draw(st.data())


def head(people, t):
    return People(people.body[:t], people.unit[:t], people.position[:t], people.language[:t])


@settings(max_examples=150, deadline=None, derandomize=True)
@given(case=gate_cases())
def test_releases_are_deterministic_keep_their_atoms_and_move_figures_by_k_or_more(case):
    org, people, cuts, k, data = case
    previous = None
    for i, t in enumerate(cuts):
        outstanding = None if i == len(cuts) - 1 else np.bincount(
            people.unit[t:][people.unit[t:] >= 0], minlength=org.unit_parent.size)
        partition = extend_release(previous, org, head(people, t), k, outstanding)
        again = extend_release(previous, org, head(people, t), k, outstanding)
        np.testing.assert_array_equal(partition.atom, again.atom)
        assert np.all(partition.atom_size >= k)
        assert partition.pending == t - int(partition.atom_size.sum())
        if previous is not None:
            kept = previous.atom >= 0
            np.testing.assert_array_equal(partition.atom[:previous.n][kept], previous.atom[kept])
            np.testing.assert_array_equal(partition.atom_release[:previous.n_atoms],
                                          previous.atom_release)
            mask = np.array(data.draw(st.lists(st.booleans(), min_size=t, max_size=t)), bool)
            now, then = release(partition, mask), release(partition, mask, as_of=previous.releases)
            moved = (now.count if isinstance(now, Released) else 0) - (
                then.count if isinstance(then, Released) else 0)
            assert moved == 0 or moved >= k
        previous = partition


@settings(max_examples=100, deadline=None, derandomize=True)
@given(case=gate_cases())
def test_a_released_table_is_the_release_of_each_of_its_cells(case):
    org, people, _cuts, k, data = case
    n = people.n
    partition = extend_release(None, org, people, k)
    selection = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)), bool)
    values = np.array(data.draw(st.lists(st.floats(0, 5), min_size=n, max_size=n)))
    table = release_table(partition, selection, people.unit, org.unit_parent.size, values)
    for g in range(org.unit_parent.size):
        cell = release(partition, selection & (people.unit == g), values)
        assert table.published[g] == isinstance(cell, Released)
        assert table.waiting[g] == cell.waiting
        if isinstance(cell, Released):
            assert table.count[g] == cell.count
            assert table.as_of[g] == cell.as_of
            assert table.sums[g, 0] == pytest.approx(cell.sums[0])
            np.testing.assert_array_equal(np.flatnonzero(table.codes == g), np.flatnonzero(cell.rows))
