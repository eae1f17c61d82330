"""Expert dimension scores, strengths and weaknesses, and group means, against hand-worked
values."""

from __future__ import annotations

import math

import numpy as np
import pytest

from analysis.expert import dimension_score, extremes, group_means


def test_a_dimension_score_is_the_weighted_mean_of_its_ratings():
    # .20·4 + .20·3 + .15·2 + .20·3 + .10·5 + .15·1 = 2.95
    assert dimension_score([4, 3, 2, 3, 5, 1], [.20, .20, .15, .20, .10, .15]) == \
        pytest.approx(2.95)
    assert dimension_score([3, 3, 3], [0.5, 0.25, 0.25]) == pytest.approx(3.0)


def test_a_dimension_with_a_criterion_unrated_has_no_score():
    assert math.isnan(dimension_score([4, np.nan, 2], [0.4, 0.3, 0.3]))


@pytest.mark.parametrize(("levels", "weights"), [
    ([0, 3], [0.5, 0.5]), ([6, 3], [0.5, 0.5]), ([3, 3], [0.6, 0.6]), ([3, 3], [1.0, 0.0]),
    ([3], [0.5, 0.5]), ([], []),
])
def test_ratings_and_weights_outside_the_rules_are_refused(levels, weights):
    with pytest.raises(ValueError, match="criteri"):
        dimension_score(levels, weights)


def test_strengths_and_weaknesses_break_ties_by_weight_then_order():
    levels = [4, 3, 2, 3, 5, 1, 5, 4, 3, 2, 4]
    weights = [.20, .20, .15, .20, .10, .15, .20, .20, .20, .15, .25]
    found = extremes(levels, weights)
    assert found.strengths == (6, 4, 10)
    assert found.weaknesses == (5, 2, 9)


def test_a_body_rated_alike_everywhere_has_no_strength_and_no_weakness():
    assert extremes([3, 3, np.nan], [.5, .5, .1]) == extremes([], [])
    assert extremes([3, 3], [.5, .5]).strengths == ()


def test_group_means_leave_out_missing_values_and_bodies_in_no_group():
    values = [[2.0, np.nan], [4.0, 3.0], [5.0, 1.0], [1.0, 1.0]]
    means = group_means(values, [0, 0, 1, -1], 3)
    np.testing.assert_array_equal(means.n, [[2, 1], [1, 1], [0, 0]])
    np.testing.assert_allclose(means.mean[:2], [[3.0, 3.0], [5.0, 1.0]])
    assert np.isnan(means.mean[2]).all()
