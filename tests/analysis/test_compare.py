import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis._ranks import grouped_ranks
from analysis.compare import compare_groups
from analysis.verdicts import holm, verdict
from analysis.waves import compare_waves, compare_waves_by_group

nan = np.nan


@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 10_000), n=st.integers(1, 60), n_groups=st.integers(1, 5))
def test_grouped_ranks_match_scipy_rankdata_in_each_group(seed, n, n_groups):
    rng = np.random.default_rng(seed)
    values = rng.integers(0, 6, size=n).astype(float)
    groups = rng.integers(0, n_groups, size=n)
    ranks, ties = grouped_ranks(values, groups, n_groups)
    for g in range(n_groups):
        members = groups == g
        if members.any():
            np.testing.assert_allclose(ranks[members], stats.rankdata(values[members]))
            _, t = np.unique(values[members], return_counts=True)
            assert ties[g] == pytest.approx(np.sum(t**3 - t))


def test_holm_matches_the_step_down_definition():
    p = np.array([0.01, 0.04, 0.03, nan, 0.005])
    # Sorted 0.005, 0.01, 0.03, 0.04 × 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04 → monotone 0.02, 0.03, 0.06, 0.06
    np.testing.assert_allclose(holm(p), [0.03, 0.06, 0.06, nan, 0.02])


@pytest.mark.parametrize(
    ("p", "effect", "kind", "higher_is_better", "code"),
    [
        (0.2, 0.6, "waves", True, "no_difference"),
        (0.01, 0.1, "waves", True, "negligible_improvement"),
        (0.01, 0.2, "waves", True, "small_improvement"),
        (0.01, -0.4, "waves", True, "moderate_decline"),
        (0.01, 0.5, "waves", False, "large_decline"),
        (0.01, -0.2, "groups", True, "small_difference"),
        (nan, nan, "waves", True, "insufficient_data"),
    ],
)
def test_verdict_codes(p, effect, kind, higher_is_better, code):
    assert verdict(p, effect, kind, higher_is_better) == code


def three_units(seed=8, shift=0.8):
    rng = np.random.default_rng(seed)
    sizes = [30, 25, 40, 3]
    values = np.concatenate([np.round(rng.normal(3 + shift * i, 1, s), 1) for i, s in enumerate(sizes)])
    groups = np.repeat(np.arange(4), sizes)
    return values, groups


def test_kruskal_wallis_and_pairwise_tests_match_scipy_after_suppression():
    values, groups = three_units()
    values[0] = nan
    result = compare_groups(values, groups, 4)
    # Group 3 (3 people) is hidden together with the smallest other group, group 1.
    np.testing.assert_array_equal(result.suppressed, [False, True, False, True])
    shown = [values[(groups == g) & np.isfinite(values)] for g in (0, 2)]
    h, p = stats.kruskal(*shown)
    assert result.omnibus.statistic == pytest.approx(h)
    assert result.omnibus.p == pytest.approx(p)
    assert result.omnibus.epsilon_squared == pytest.approx(h / (sum(map(len, shown)) - 1))
    assert result.mode == "pairwise"
    (pair,) = result.pairs
    u, p_mw = stats.mannwhitneyu(shown[1], shown[0])
    assert (pair.first, pair.second, pair.u, pair.p) == (0, 2, pytest.approx(u), pytest.approx(p_mw))
    assert pair.effect == pytest.approx(2 * u / (len(shown[0]) * len(shown[1])) - 1)
    assert pair.verdict.endswith("_difference")
    assert pair.effect > 0
    np.testing.assert_allclose(result.medians[[0, 2]], [np.median(s) for s in shown])


def test_many_groups_are_compared_each_against_the_rest():
    rng = np.random.default_rng(9)
    groups = np.repeat(np.arange(30), 20)
    values = np.round(rng.normal(size=600) + (groups == 7) * 1.5, 1)
    result = compare_groups(values, groups, 30, max_pairwise=20)
    assert result.mode == "versus_rest"
    assert len(result.pairs) == 30
    by_group = {pair.second: pair for pair in result.pairs}
    for g in (0, 7, 29):
        inside, rest = values[groups == g], values[groups != g]
        reference = stats.mannwhitneyu(inside, rest, method="asymptotic")
        assert by_group[g].u == pytest.approx(reference.statistic)
        assert by_group[g].p == pytest.approx(reference.pvalue)
    p_holm = holm([pair.p for pair in result.pairs])
    np.testing.assert_allclose([pair.p_holm for pair in result.pairs], p_holm)
    assert by_group[7].verdict != "no_difference"
    assert by_group[7].effect > 0


def test_no_follow_up_tests_after_a_non_significant_omnibus():
    rng = np.random.default_rng(10)
    result = compare_groups(rng.normal(size=60), np.repeat([0, 1, 2], 20), 3)
    assert result.omnibus.p >= 0.05
    assert result.mode == "none"
    assert result.pairs == ()
    assert result.omnibus.verdict == "no_difference"


def test_paired_waves_use_wilcoxon_with_the_matched_pairs_rank_biserial():
    rng = np.random.default_rng(11)
    before = np.round(rng.normal(3, 0.6, 80), 1)
    after = before + np.round(rng.normal(0.3, 0.5, 80), 1)
    after[3] = nan
    result = compare_waves(before, after, paired=True)
    keep = np.isfinite(after)
    d = (after - before)[keep]
    reference = stats.wilcoxon(d[d != 0])
    ranks = stats.rankdata(np.abs(d[d != 0]))
    w_plus, w_minus = ranks[d[d != 0] > 0].sum(), ranks[d[d != 0] < 0].sum()
    assert result.p == pytest.approx(reference.pvalue)
    assert result.statistic == pytest.approx(w_plus)
    assert result.effect == pytest.approx((w_plus - w_minus) / (w_plus + w_minus))
    assert result.n_before == 79
    assert result.verdict.endswith("improvement")
    assert compare_waves(before, before, paired=True).verdict == "no_difference"


def test_unpaired_waves_use_mann_whitney_and_small_samples_are_not_compared():
    rng = np.random.default_rng(12)
    before, after = rng.normal(3, 1, 50), rng.normal(2.5, 1, 70)
    result = compare_waves(before, after, paired=False)
    reference = stats.mannwhitneyu(after, before)
    assert (result.statistic, result.p) == (pytest.approx(reference.statistic), pytest.approx(reference.pvalue))
    assert result.verdict.endswith("decline")
    assert compare_waves(before[:4], after, paired=False).verdict == "insufficient_data"


def test_waves_by_group_match_scipy_asymptotic_tests_in_each_group():
    rng = np.random.default_rng(13)
    groups = rng.integers(0, 5, size=300)
    before = np.round(rng.normal(3, 1, 300), 1)
    after = before + np.round(rng.normal(0.2 * groups, 0.6), 1)
    groups[:2] = 4  # keep group 4 big enough
    paired = compare_waves_by_group(before, after, True, groups, 5)
    for g in range(5):
        d = (after - before)[groups == g]
        reference = stats.wilcoxon(d[d != 0], method="asymptotic")
        assert paired.p[g] == pytest.approx(reference.pvalue)
    np.testing.assert_allclose(paired.p_holm, holm(paired.p))

    wave_groups = rng.integers(0, 5, size=300)
    unpaired = compare_waves_by_group(before, after, False, groups, 6, groups_after=wave_groups)
    for g in range(5):
        reference = stats.mannwhitneyu(after[wave_groups == g], before[groups == g], method="asymptotic")
        assert unpaired.statistic[g] == pytest.approx(reference.statistic)
        assert unpaired.p[g] == pytest.approx(reference.pvalue)
    assert unpaired.verdicts[5] == "insufficient_data"
    assert not unpaired.suppressed[5]


def test_waves_by_group_hide_small_groups():
    before = np.arange(40, dtype=float)
    after = before + 1
    groups = np.array([0] * 30 + [1] * 7 + [2] * 3)
    result = compare_waves_by_group(before, after, True, groups, 3)
    np.testing.assert_array_equal(result.suppressed, [False, True, True])
    assert result.verdicts[1:] == ("insufficient_data", "insufficient_data")
    assert result.verdicts[0] == "large_improvement"


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_group_comparison_ignores_respondent_order(seed):
    rng = np.random.default_rng(seed)
    values, groups = three_units(seed, shift=rng.choice([0.0, 0.8]))
    order = rng.permutation(values.size)
    a = compare_groups(values, groups, 4)
    b = compare_groups(values[order], groups[order], 4)
    assert a.omnibus.statistic == pytest.approx(b.omnibus.statistic)
    assert [p.p for p in a.pairs] == pytest.approx([p.p for p in b.pairs])
    assert 0 <= a.omnibus.p <= 1
