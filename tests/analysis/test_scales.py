import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from analysis.scales import reverse_key, scale_scores

nan = np.nan


def test_scale_scores_by_hand():
    responses = np.array(
        [
            [5, 1, 4, nan, 2],  # scale 0: 5, 6−1=5, 4 → 14/3; scale 1: one of two → 50 % is enough → 2
            [3, nan, nan, 2, 4],  # scale 0: one of three answered < 50 % → nan; scale 1: 3
            [nan, nan, nan, nan, nan],
        ]
    )
    item_scale = np.array([0, 0, 0, 1, 1])
    reverse = np.array([False, True, False, False, False])
    scores = scale_scores(responses, item_scale, reverse)
    np.testing.assert_allclose(scores, [[14 / 3, 2.0], [nan, 3.0], [nan, nan]])


def test_a_stricter_missing_rule_gives_fewer_scores():
    responses = np.array([[4, nan, nan, 5]])
    scores = scale_scores(responses, [0, 0, 0, 0], [False] * 4, min_share=0.75)
    assert np.isnan(scores[0, 0])
    assert scale_scores(responses, [0, 0, 0, 0], [False] * 4)[0, 0] == 4.5


def test_answers_off_the_five_point_scale_are_refused():
    with pytest.raises(ValueError, match="1..5"):
        scale_scores(np.array([[0.0, 3.0]]), [0, 0], [False, False])
    with pytest.raises(ValueError, match="1..5"):
        reverse_key(np.array([[2.5]]), [True])


likert = arrays(float, st.tuples(st.integers(1, 12), st.integers(2, 8)),
                elements=st.sampled_from([1.0, 2.0, 3.0, 4.0, 5.0, nan]))


@settings(max_examples=100, deadline=None)
@given(responses=likert, data=st.data())
def test_reverse_keying_twice_is_identity_and_scores_stay_on_the_scale(responses, data):
    n_items = responses.shape[1]
    reverse = np.array(data.draw(st.lists(st.booleans(), min_size=n_items, max_size=n_items)))
    item_scale = np.array(data.draw(st.lists(st.integers(0, 2), min_size=n_items, max_size=n_items)))
    once = reverse_key(responses, reverse)
    np.testing.assert_array_equal(reverse_key(once, reverse), responses)
    scores = scale_scores(responses, item_scale, reverse, n_scales=3)
    finite = scores[np.isfinite(scores)]
    assert np.all((finite >= 1) & (finite <= 5))
    # Respondent order does not matter.
    permutation = np.array(data.draw(st.permutations(range(responses.shape[0]))))
    np.testing.assert_array_equal(
        scale_scores(responses[permutation], item_scale, reverse, n_scales=3), scores[permutation]
    )
    # A second, loop-by-loop implementation of the documented rule.
    for person in range(responses.shape[0]):
        for scale in range(3):
            items = np.flatnonzero(item_scale == scale)
            answers = [once[person, i] for i in items if not np.isnan(once[person, i])]
            if items.size and answers and len(answers) >= 0.5 * items.size:
                assert scores[person, scale] == pytest.approx(sum(answers) / len(answers))
            else:
                assert np.isnan(scores[person, scale])
