import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.items import distractor_analysis, extreme_group_weights, item_statistics

nan = np.nan


def simulated_test(n=300, n_items=8, seed=0):
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=n)
    difficulty = np.linspace(-1.5, 1.5, n_items)
    p = 1 / (1 + np.exp(-(ability[:, None] - difficulty)))
    correct = (rng.random((n, n_items)) < p).astype(float)
    correct[rng.random((n, n_items)) < 0.03] = nan
    return correct


def test_facility_and_corrected_point_biserial_match_plain_computations():
    correct = simulated_test()
    stats = item_statistics(correct)
    scored = np.nan_to_num(correct, nan=0.0)
    np.testing.assert_allclose(stats.facility, scored.mean(axis=0))
    np.testing.assert_allclose(stats.omitted, np.isnan(correct).mean(axis=0))
    for i in range(correct.shape[1]):
        rest = np.delete(scored, i, axis=1).sum(axis=1)
        assert stats.item_rest_r[i] == pytest.approx(np.corrcoef(scored[:, i], rest)[0, 1], abs=1e-10)


def test_item_rest_r_is_nan_when_the_rest_score_does_not_vary():
    rng = np.random.default_rng(3)
    item = (rng.random(997) < 0.37).astype(float)
    # One item, or a second item everyone gets right: the rest score is constant.
    for matrix in (item[:, None], np.column_stack([item, np.ones(997)])):
        assert np.isnan(item_statistics(matrix).item_rest_r[0])


def test_upper_and_lower_groups_by_hand():
    # Totals 0..9 for ten people; with a 30 % share the groups are the top and bottom three.
    correct = np.zeros((10, 9))
    for person in range(10):
        correct[person, :person] = 1.0
    stats = item_statistics(correct, group_share=0.3)
    # Item 0 is right for persons 1..9: upper 3/3, lower (persons 0, 1, 2) 2/3.
    assert stats.upper[0] == pytest.approx(1.0)
    assert stats.lower[0] == pytest.approx(2 / 3)
    assert stats.discrimination_index[0] == pytest.approx(1 / 3)
    # Item 8 is right only for person 9.
    assert stats.upper[8] == pytest.approx(1 / 3)
    assert stats.lower[8] == 0.0


def test_people_tied_at_the_boundary_share_the_group_equally():
    # Group size 0.27 × 10 = 2.7; totals [0, 1, 1, 1, 2, …]: person 0 fully, the three 1s at 1.7/3 each.
    lower, upper, size = extreme_group_weights(np.array([0, 1, 1, 1, 2, 3, 4, 5, 6, 7], dtype=float))
    assert size == pytest.approx(2.7)
    np.testing.assert_allclose(lower[:5], [1, 1.7 / 3, 1.7 / 3, 1.7 / 3, 0])
    np.testing.assert_allclose(upper[-4:], [0, 0.7, 1, 1])
    assert lower.sum() == pytest.approx(2.7)
    assert upper.sum() == pytest.approx(2.7)


def test_flags_use_the_documented_thresholds():
    n = 100
    easy = np.ones(n)
    easy[:5] = 0  # facility 0.95 > 0.90
    hard = np.zeros(n)
    hard[:10] = 1  # facility 0.10 < 0.20
    correct = np.column_stack([easy, hard, np.tile([1.0, 0.0], n // 2)])
    correct[:20, 2] = nan  # 20 % omitted (each counted wrong)
    flags = item_statistics(correct).flags
    assert "too_easy" in flags[0]
    assert "too_hard" in flags[1]
    assert "often_omitted" in flags[2]


def test_people_who_did_not_take_the_test_are_left_out():
    correct = simulated_test(n=50)
    with_empty = np.vstack([correct, np.full((7, correct.shape[1]), nan)])
    a, b = item_statistics(correct), item_statistics(with_empty)
    assert b.n == 50
    np.testing.assert_allclose(a.facility, b.facility)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(4, 60))
def test_item_statistics_ignore_respondent_order_and_stay_in_bounds(seed, n):
    correct = simulated_test(n=n, n_items=5, seed=seed)
    rng = np.random.default_rng(seed)
    a = item_statistics(correct)
    b = item_statistics(correct[rng.permutation(n)])
    for name in ("facility", "item_rest_r", "upper", "lower", "discrimination_index"):
        np.testing.assert_allclose(getattr(a, name), getattr(b, name), atol=1e-12)
    assert np.all((a.facility >= 0) & (a.facility <= 1))
    assert np.all(np.abs(a.discrimination_index) <= 1 + 1e-12)
    finite = a.item_rest_r[np.isfinite(a.item_rest_r)]
    assert np.all(np.abs(finite) <= 1 + 1e-9)


def test_distractor_analysis_by_hand():
    # One 4-option item, key 1, ten people with totals 0..9 (30 % groups: 3 people each).
    choices = np.array([[0], [0], [2], [1], [1], [1], [-1], [1], [1], [2]])
    total = np.arange(10, dtype=float)
    result = distractor_analysis(choices, key=[1], n_options=[4], total=total, group_share=0.3)
    np.testing.assert_allclose(result.share[0], [0.2, 0.5, 0.2, 0.0])
    np.testing.assert_allclose(result.upper[0], [0, 2 / 3, 1 / 3, 0])
    np.testing.assert_allclose(result.lower[0], [2 / 3, 0, 1 / 3, 0])
    assert result.no_answer[0] == pytest.approx(0.1)
    # Option 3 is never chosen; option 2 is as popular above as below (not "attracts_able").
    assert result.flags[0] == ((3, "nonfunctional"),)


def test_a_distractor_chosen_by_the_able_is_flagged_and_padding_is_nan():
    choices = np.array([[0, 0], [0, 0], [1, 1], [1, 1], [2, 1], [2, 1]])
    total = np.arange(6, dtype=float)
    result = distractor_analysis(choices, key=[0, 0], n_options=[3, 2], total=total, group_share=0.34)
    assert (2, "attracts_able") in result.flags[0]
    assert np.isnan(result.share[1, 2])
    with pytest.raises(ValueError, match="option"):
        distractor_analysis(np.array([[3]]), key=[0], n_options=[3], total=[1.0])
