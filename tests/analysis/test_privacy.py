import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.privacy import group_counts, suppress


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
    from analysis.privacy import suppress

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
