import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis.culture import culture_scores, culture_subscores, group_culture, maturity_index
from analysis.gaps import competency_gaps, gap_summary

nan = np.nan


def test_gaps_are_required_minus_measured_with_unmeasured_left_blank():
    required = np.array([[3, 4], [2, 2]])
    measured = np.array([[1, 4], [3, 0], [2, 2]])
    gaps = competency_gaps(required, [0, 1, -1], measured)
    np.testing.assert_array_equal(gaps, [[2, 0], [-1, nan], [nan, nan]])


def test_gap_summary_by_hand():
    # Group 0: six people; group 1: five; group 2: two (suppressed with the smallest other, group 1).
    gaps = np.array(
        [[2, 0], [1, -1], [0, 0], [-1, 1], [3, nan], [0, 0],
         [1, 1], [1, 1], [0, 0], [0, 0], [0, 0],
         [4, 4], [4, 4]], dtype=float
    )
    groups = np.array([0] * 6 + [1] * 5 + [2] * 2)
    summary = gap_summary(gaps, groups, 3)
    np.testing.assert_array_equal(summary.suppressed, [False, True, True])
    np.testing.assert_array_equal(summary.headcount, [6, -1, -1])
    np.testing.assert_array_equal(summary.n[0], [6, 5])
    np.testing.assert_allclose(summary.share_below[0], [3 / 6, 1 / 5])
    np.testing.assert_allclose(summary.mean_gap[0], [6 / 6, 1 / 5])
    np.testing.assert_allclose(summary.mean_positive_gap[0], [2.0, 1.0])
    np.testing.assert_allclose(summary.priority[0], [6.0, 1.0])
    assert np.all(np.isnan(summary.priority[1:]))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 80), k=st.integers(1, 8))
def test_gap_summaries_hide_small_groups_and_priority_is_mean_gap_times_headcount(seed, n, k):
    rng = np.random.default_rng(seed)
    gaps = rng.integers(-2, 4, size=(n, 3)).astype(float)
    gaps[rng.random((n, 3)) < 0.1] = nan
    groups = rng.integers(0, 6, size=n)
    summary = gap_summary(gaps, groups, 6, k=k)
    shown = ~summary.suppressed
    assert np.all((summary.headcount[shown] >= k) | (summary.headcount[shown] == 0))
    assert np.all(np.isnan(summary.mean_gap[~shown]))
    np.testing.assert_allclose(summary.priority[shown], (summary.mean_gap * summary.n)[shown])
    # Order of people does not matter.
    order = rng.permutation(n)
    again = gap_summary(gaps[order], groups[order], 6, k=k)
    np.testing.assert_allclose(again.priority, summary.priority)


def test_culture_subscores_take_the_test_mean_and_the_named_scales(model):
    scale_scores = np.array([[4.0, 2.0, 3.0], [nan, 5.0, 1.0]])
    proficiency = np.array([[2, 4, 0], [0, 0, 0]])
    subs = culture_subscores(model, ["motivation", "self", "engagement"], scale_scores, proficiency)
    np.testing.assert_allclose(subs, [[3.0, 3.0, 4.0], [nan, 1.0, nan]])


def test_culture_score_is_the_weighted_mean_with_weights_renormalised(model):
    subs = np.array([[3.0, 3.0, 4.0], [nan, 5.0, 2.0], [nan, 5.0, nan]])
    result = culture_scores(model, subs)
    # 0.4·3 + 0.3·3 + 0.3·4 = 3.3 (band 3); (0.3·5 + 0.3·2)/0.6 = 3.5 (band 4); 0.3 < 0.5 → none.
    np.testing.assert_allclose(result.score, [3.3, 3.5, nan])
    np.testing.assert_array_equal(result.level, [3, 4, 0])
    assert np.all(np.isnan(result.low))


def test_person_interval_follows_the_standard_error_of_measurement(model):
    rng = np.random.default_rng(6)
    subs = np.clip(rng.normal(3, 0.8, size=(200, 3)), 1, 5)
    reliability = np.array([0.8, 0.7, 0.9])
    result = culture_scores(model, subs, reliability)
    sem = subs.std(axis=0, ddof=1) * np.sqrt(1 - reliability)
    se = np.sqrt(np.sum((model.culture_weights * sem) ** 2))
    z = stats.norm.ppf(0.975)
    inside = (result.score - z * se > 1) & (result.score + z * se < 5)
    np.testing.assert_allclose(result.low[inside], (result.score - z * se)[inside])
    np.testing.assert_allclose(result.high[inside], (result.score + z * se)[inside])
    assert np.all((result.low >= 1) & (result.high <= 5) & (result.low <= result.score))


def test_group_culture_uses_the_t_interval_and_suppresses_small_groups(model):
    rng = np.random.default_rng(7)
    scores = np.clip(rng.normal(3, 0.7, size=40), 1, 5)
    groups = np.array([0] * 20 + [1] * 15 + [2] * 3 + [-1] * 2)
    result = group_culture(model, scores, groups, 3)
    np.testing.assert_array_equal(result.suppressed, [False, True, True])
    interval = stats.t.interval(0.95, 19, loc=scores[:20].mean(), scale=stats.sem(scores[:20]))
    assert (result.low[0], result.high[0]) == pytest.approx(interval)
    assert result.level[0] == model.level_for(scores[:20].mean())
    assert result.n[1] == -1
    assert np.isnan(result.mean[1])
    assert result.level[1] == 0


def test_maturity_index_is_the_weighted_mean_of_the_four_dimensions(model):
    expert = {"strategic_management": [3.0, 4.0], "organisational_maturity": [2.0, nan],
              "technological_maturity": [4.0, 4.0]}
    index = maturity_index(model, [3.5, 3.0], expert)
    assert index.score[0] == pytest.approx(0.25 * 3 + 0.25 * 2 + 0.2 * 4 + 0.3 * 3.5)
    assert np.isnan(index.score[1])
    assert index.level[1] == 0
    assert index.level[0] == model.level_for(index.score[0])
