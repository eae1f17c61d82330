"""Self-rated against tested levels, checked by counting by hand."""

from __future__ import annotations

import numpy as np
import pytest

from analysis.selfrating import confidence_gaps, confidence_summary


def test_gaps_are_self_rated_minus_tested_and_nan_where_either_is_missing():
    gaps = confidence_gaps([[3, 0, 2], [1, 4, 5]], [[2, 3, 2], [0, 5, 4]])
    np.testing.assert_array_equal(gaps, [[1, np.nan, 0], [np.nan, -1, 1]])


def test_the_summary_counts_shares_over_at_and_below_per_competence():
    gaps = confidence_gaps([[3, 1], [2, 1], [1, 1], [5, 0]], [[2, 1], [2, 2], [2, 1], [1, 3]])
    found = confidence_summary(gaps)
    np.testing.assert_array_equal(found.n, [4, 3])
    assert found.over[0] == pytest.approx(2 / 4)
    assert found.accurate[0] == pytest.approx(1 / 4)
    assert found.under[0] == pytest.approx(1 / 4)
    assert found.mean_gap[0] == pytest.approx((1 + 0 - 1 + 4) / 4)
    assert found.under[1] == pytest.approx(1 / 3)
    assert found.accurate[1] == pytest.approx(2 / 3)


def test_a_competence_nobody_rated_has_no_shares():
    found = confidence_summary(confidence_gaps([[0], [0]], [[2], [3]]))
    assert found.n[0] == 0
    assert np.isnan(found.over[0])
    assert np.isnan(found.mean_gap[0])


def test_shapes_must_agree():
    with pytest.raises(ValueError, match="shape"):
        confidence_gaps([[1, 2]], [[1]])
