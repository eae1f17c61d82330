import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from analysis.reliability import (
    alpha_if_deleted,
    cronbach_alpha,
    feldt_interval,
    item_rest_correlations,
    scale_reliability,
)

nan = np.nan
# pingouin's "cronbach_wide_missing" data set (12 people, 11 binary items).
WIDE_MISSING = np.array(
    [[1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 0],
     [nan, 0, 1, 1, nan, 1, 1, 1, 1, 0, 0], [1, 1, 1, 0, 1, 1, 0, 1, 1, 0, 0],
     [1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0], [0, 1, nan, 0, 1, 1, 1, 1, 0, 0, 0],
     [1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0],
     [0, 1, 0, 1, 1, 0, 0, 0, 0, 1, 0], [1, 0, 0, 1, 0, 1, 0, 0, nan, 0, 0],
     [1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0], [1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]]
)


def test_alpha_of_a_hand_worked_example():
    # Item variances (ddof 1): 1.0, 1.0, 1.0 → 3; totals 3, 6, 9, 12 → variance 15.
    matrix = np.array([[1, 1, 1], [2, 2, 2], [3, 3, 3], [4, 4, 4]], dtype=float)
    matrix[:, 1] = [2, 1, 4, 3]
    # Now totals 4, 5, 10, 11: variance 12.6667; alpha = 3/2 (1 − 3.6667/12.6667)
    item_var = matrix.var(axis=0, ddof=1).sum()
    total_var = matrix.sum(axis=1).var(ddof=1)
    assert item_var == pytest.approx(3 * 5 / 3)
    assert cronbach_alpha(matrix).alpha == pytest.approx(1.5 * (1 - item_var / total_var))


def test_alpha_matches_the_published_listwise_value():
    # R psych::alpha(data, use = "complete.obs") gives 0.8016949 on this data set.
    result = cronbach_alpha(WIDE_MISSING)
    assert result.alpha == pytest.approx(0.8016949152542373, abs=1e-12)
    assert result.n == 9
    assert result.n_items == 11


def test_feldt_interval_matches_the_published_values():
    # pingouin documents (0.738, [0.447, 0.911]) for the median-imputed data set.
    filled = np.where(np.isnan(WIDE_MISSING), np.nanmedian(WIDE_MISSING, axis=0), WIDE_MISSING)
    result = cronbach_alpha(filled)
    assert result.alpha == pytest.approx(0.7380191693290734, abs=1e-12)
    assert (round(result.low, 3), round(result.high, 3)) == (0.447, 0.911)


def test_feldt_interval_follows_the_f_distribution():
    low, high = feldt_interval(0.8, n=50, n_items=10, confidence=0.9)
    df1, df2 = 49, 49 * 9
    # (1 − true alpha) / (1 − alpha) ~ F(df1, df2): the bounds cut 5 % off each tail.
    assert stats.f.sf((1 - low) / (1 - 0.8), df1, df2) == pytest.approx(0.05)
    assert stats.f.cdf((1 - high) / (1 - 0.8), df1, df2) == pytest.approx(0.05)


def plain_item_rest(matrix):
    return np.array([np.corrcoef(matrix[:, i], np.delete(matrix, i, axis=1).sum(axis=1))[0, 1]
                     for i in range(matrix.shape[1])])


def plain_alpha_if_deleted(matrix):
    return np.array([cronbach_alpha(np.delete(matrix, i, axis=1)).alpha for i in range(matrix.shape[1])])


def test_item_diagnostics_match_the_definitions():
    rng = np.random.default_rng(1)
    trait = rng.normal(size=200)
    matrix = np.clip(np.round(3 + trait[:, None] + rng.normal(size=(200, 5))), 1, 5)
    np.testing.assert_allclose(item_rest_correlations(matrix), plain_item_rest(matrix), rtol=1e-10)
    np.testing.assert_allclose(alpha_if_deleted(matrix), plain_alpha_if_deleted(matrix), rtol=1e-10)


def test_scale_reliability_flips_reverse_items_and_flags_a_bad_item():
    rng = np.random.default_rng(2)
    trait = rng.normal(size=400)
    good = np.clip(np.round(3 + trait[:, None] + 0.7 * rng.normal(size=(400, 5))), 1, 5)
    reversed_item = 6 - good[:, :1]  # answered in the opposite direction, keyed as reverse
    noise = rng.integers(1, 6, size=(400, 1)).astype(float)  # unrelated to the trait
    responses = np.hstack([good, reversed_item, noise])
    item_scale = np.zeros(7, dtype=int)
    reverse = np.array([False] * 5 + [True, False])
    (scale,) = scale_reliability(responses, item_scale, reverse)
    keyed = responses.copy()
    keyed[:, 5] = 6 - keyed[:, 5]
    assert scale.alpha.alpha == pytest.approx(cronbach_alpha(keyed).alpha)
    np.testing.assert_allclose(scale.item_rest_r, plain_item_rest(keyed))
    assert scale.item_flags[6] == ("weak_item", "raises_alpha")
    assert scale.item_flags[0] == ()
    assert scale.flags == ()


def test_low_alpha_is_flagged_and_degenerate_data_gives_nan_without_warnings():
    rng = np.random.default_rng(3)
    (scale,) = scale_reliability(rng.integers(1, 6, size=(100, 6)).astype(float), [0] * 6, [False] * 6)
    assert scale.flags == ("low_alpha",)
    constant = np.full((10, 3), 3.0)
    assert np.isnan(cronbach_alpha(constant).alpha)
    assert np.isnan(cronbach_alpha(np.array([[1.0, 2.0], [nan, 3.0]])).alpha)
    with pytest.raises(ValueError, match="two items"):
        cronbach_alpha(np.ones((5, 1)))


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), n=st.integers(3, 40), k=st.integers(2, 6))
def test_alpha_is_at_most_one_and_ignores_respondent_and_item_order(seed, n, k):
    rng = np.random.default_rng(seed)
    matrix = rng.integers(1, 6, size=(n, k)).astype(float)
    result = cronbach_alpha(matrix)
    if np.isfinite(result.alpha):
        assert result.alpha <= 1 + 1e-12
        assert result.low <= result.alpha <= result.high
        shuffled = cronbach_alpha(matrix[rng.permutation(n)][:, rng.permutation(k)])
        assert shuffled.alpha == pytest.approx(result.alpha, abs=1e-9)
