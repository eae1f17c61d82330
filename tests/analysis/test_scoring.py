import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.testscoring import proficiency_levels, score_item

nan = np.nan


@pytest.mark.parametrize(
    ("item_type", "key", "chosen", "right"),
    [
        ("single", "b", "b", True),
        ("single", "b", ["b"], True),
        ("single", "b", "a", False),
        ("single", "b", ["a", "b"], False),
        ("single", "b", None, False),
        ("multiple", ["a", "c"], ["c", "a"], True),
        ("multiple", ["a", "c"], ["a"], False),  # all or nothing: half right is wrong
        ("multiple", ["a", "c"], ["a", "c", "d"], False),
        ("multiple", ["a", "c"], [], False),
        ("true_false", True, True, True),
        ("true_false", False, "false", True),
        ("true_false", True, "false", False),
        ("true_false", True, None, False),
    ],
)
def test_each_item_type_is_scored_by_its_key(item_type, key, chosen, right):
    assert score_item(item_type, key, chosen) is right


def test_unknown_item_types_and_rules_are_refused():
    with pytest.raises(ValueError, match="item type"):
        score_item("essay", "a", "a")
    with pytest.raises(ValueError, match="rule"):
        score_item("multiple", ["a"], ["a"], multiple_choice="partial")


def test_proficiency_by_hand():
    # Competence 0: two items at each of levels 1, 2, 3. Competence 1: levels 2 and 4 only.
    item_competence = np.array([0, 0, 0, 0, 0, 0, 1, 1, 1, 1])
    item_level = np.array([1, 1, 2, 2, 3, 3, 2, 2, 4, 4])
    correct = np.array(
        [
            [1, 1, 1, 1, 1, 0, 1, 1, 1, 1],  # c0: L3 at 50 % < 60 % → 2; c1: both pass → 4
            [1, 0, 1, 1, 1, 1, 0, 0, 1, 1],  # c0: L1 at 50 % fails → 1; c1: L2 fails → 1
            [1, 1, nan, nan, 1, 1, 1, nan, nan, nan],  # unanswered = wrong: c0 L2 fails → 1; c1 → 1
            [nan] * 10,  # did not take the test
        ]
    )
    levels = proficiency_levels(correct, item_competence, item_level, n_competences=3)
    np.testing.assert_array_equal(levels, [[2, 4, 0], [1, 1, 0], [1, 1, 0], [0, 0, 0]])


def test_a_level_passes_at_exactly_the_pass_share():
    # 3 of 5 right is exactly 60 %.
    correct = np.array([[1, 1, 1, 0, 0]], dtype=float)
    assert proficiency_levels(correct, [0] * 5, [1] * 5)[0, 0] == 1
    assert proficiency_levels(correct, [0] * 5, [2] * 5)[0, 0] == 2


def reference_level(row, competence, level, c, pass_share):
    """The README rule, straight from its words."""
    best = 1
    for candidate in range(1, 6):
        levels_with_items = [lv for lv in range(1, candidate + 1)
                             if any(competence[i] == c and level[i] == lv for i in range(len(row)))]
        if candidate not in levels_with_items:
            continue
        ok = True
        for lv in levels_with_items:
            items = [i for i in range(len(row)) if competence[i] == c and level[i] == lv]
            right = sum(1 for i in items if row[i] == 1)
            ok &= right / len(items) >= pass_share
        if ok:
            best = candidate
    return best


@settings(max_examples=100, deadline=None)
@given(data=st.data(), pass_share=st.sampled_from([0.5, 0.6, 2 / 3, 1.0]))
def test_proficiency_matches_a_plain_reading_of_the_rule(data, pass_share):
    n_items = data.draw(st.integers(1, 12))
    competence = data.draw(st.lists(st.integers(0, 1), min_size=n_items, max_size=n_items))
    level = data.draw(st.lists(st.integers(1, 5), min_size=n_items, max_size=n_items))
    rows = data.draw(st.lists(st.lists(st.sampled_from([0.0, 1.0, nan]), min_size=n_items, max_size=n_items),
                              min_size=1, max_size=6))
    correct = np.array(rows)
    levels = proficiency_levels(correct, competence, level, n_competences=2, pass_share=pass_share)
    for p, row in enumerate(rows):
        for c in range(2):
            if c not in competence or all(np.isnan(row)):
                assert levels[p, c] == 0
            else:
                assert levels[p, c] == reference_level(row, competence, level, c, pass_share)
    # One more right answer never lowers a level.
    wrong = np.argwhere(np.nan_to_num(correct, nan=0.0) == 0)
    if wrong.size:
        better = correct.copy()
        better[tuple(wrong[0])] = 1.0
        raised = proficiency_levels(better, competence, level, n_competences=2, pass_share=pass_share)
        assert np.all(raised[levels > 0] >= levels[levels > 0])


def test_items_not_presented_neither_pass_nor_block_a_level():
    # Competence 0: levels 1, 1, 2, 2, 3, 3. The person was shown one item of each level.
    competence = np.zeros(6, dtype=int)
    level = np.array([1, 1, 2, 2, 3, 3])
    correct = np.array([[1, 0, 1, 0, 0, 0]], dtype=float)
    presented = np.array([[True, False, True, False, True, False]])
    # Shown items only: L1 1/1, L2 1/1, L3 0/1 → 2. Over all six items (the old reading) → 1.
    assert proficiency_levels(correct, competence, level, presented=presented)[0, 0] == 2
    assert proficiency_levels(correct, competence, level)[0, 0] == 1
    # A level with no presented item is skipped, as a level without items is.
    only_low = np.array([[True, True, False, False, False, False]])
    assert proficiency_levels(np.ones((1, 6)), competence, level, presented=only_low)[0, 0] == 1
    nothing = np.zeros((1, 6), dtype=bool)
    assert proficiency_levels(np.ones((1, 6)), competence, level, presented=nothing)[0, 0] == 0
