import numpy as np
import pytest
from statsmodels.stats.contingency_tables import StratifiedTable

from analysis.dif import ets_category, mantel_haenszel, mantel_haenszel_dif

nan = np.nan


def test_mantel_haenszel_by_hand_on_two_strata():
    # Stratum 1: reference 8 right / 2 wrong, focal 5 / 5.  Stratum 2: reference 4 / 6, focal 2 / 8.
    mh = mantel_haenszel(a=[8, 4], b=[2, 6], c=[5, 2], d=[5, 8])
    # alpha = (8·5/20 + 4·8/20) / (2·5/20 + 6·2/20) = 3.6 / 1.1
    assert mh.alpha_mh[0] == pytest.approx(3.6 / 1.1)
    assert mh.delta[0] == pytest.approx(-2.35 * np.log(3.6 / 1.1))
    # ΣA = 12, ΣE(A) = 10·13/20 + 10·6/20 = 9.5,
    # ΣVar(A) = 10·10·13·7/(20²·19) + 10·10·6·14/(20²·19) = 17500/7600
    assert mh.chi2[0] == pytest.approx((abs(12 - 9.5) - 0.5) ** 2 / (17500 / 7600))


def test_mantel_haenszel_agrees_with_statsmodels():
    rng = np.random.default_rng(4)
    tables = rng.integers(1, 40, size=(2, 2, 6))
    a, b, c, d = tables[0, 0], tables[0, 1], tables[1, 0], tables[1, 1]
    mh = mantel_haenszel(a, b, c, d)
    reference = StratifiedTable(tables.astype(float))
    assert mh.alpha_mh[0] == pytest.approx(reference.oddsratio_pooled)
    assert mh.se_delta[0] == pytest.approx(2.35 * reference.logodds_pooled_se)
    test = reference.test_null_odds(correction=True)
    assert mh.chi2[0] == pytest.approx(test.statistic)
    assert mh.p[0] == pytest.approx(test.pvalue)


@pytest.mark.parametrize(
    ("delta", "se", "p", "category"),
    [
        (-0.9, 0.1, 0.001, "A"),  # |Δ| < 1
        (-2.0, 0.3, 0.2, "A"),  # not significant
        (-1.2, 0.1, 0.001, "B"),
        (1.6, 0.5, 0.001, "B"),  # |Δ| ≥ 1.5 but not significantly above 1: (1.6 − 1)/0.5 = 1.2
        (-1.6, 0.3, 0.001, "C"),  # (1.6 − 1)/0.3 = 2 > 1.645
        (nan, nan, nan, "none"),
    ],
)
def test_ets_classes(delta, se, p, category):
    assert ets_category(delta, se, p) == category


def loop_tables(correct, group, reference, focal, item):
    """Per-stratum 2×2 tables built one person at a time."""
    scored = np.nan_to_num(correct, nan=0.0)
    totals = scored.sum(axis=1).astype(int)
    tables = {}
    for person in range(correct.shape[0]):
        if group[person] not in (reference, focal) or np.all(np.isnan(correct[person])):
            continue
        table = tables.setdefault(totals[person], np.zeros((2, 2)))
        row = 0 if group[person] == reference else 1
        table[row, 0 if scored[person, item] == 1 else 1] += 1
    return np.stack([tables[s] for s in sorted(tables)], axis=2)


def simulated(n=3000, n_items=10, seed=5):
    rng = np.random.default_rng(seed)
    language = rng.integers(0, 3, size=n)
    ability = rng.normal(size=n)
    difficulty = np.linspace(-1, 1, n_items) + np.zeros((n, 1))
    difficulty[language == 2, 3] += 1.5  # item 3 is much harder in language 2
    correct = (rng.random((n, n_items)) < 1 / (1 + np.exp(-(ability[:, None] - difficulty)))).astype(float)
    correct[rng.random((n, n_items)) < 0.02] = nan
    correct[:5] = nan  # five people did not take the test
    return correct, language


def test_dif_tables_and_statistics_match_a_person_by_person_construction():
    correct, language = simulated()
    results = mantel_haenszel_dif(correct, language, 3)
    assert [(r.reference, r.focal) for r in results] == [(0, 1), (0, 2), (1, 2)]
    for result in results:
        for item in (0, 3, 9):
            tables = loop_tables(correct, language, result.reference, result.focal, item)
            informative = (tables[0].sum(axis=0) > 0) & (tables[1].sum(axis=0) > 0)
            reference = StratifiedTable(tables[:, :, informative])
            assert result.alpha_mh[item] == pytest.approx(reference.oddsratio_pooled)
            assert result.se_delta[item] == pytest.approx(2.35 * reference.logodds_pooled_se)
            assert result.chi2[item] == pytest.approx(reference.test_null_odds(correction=True).statistic)


def test_an_item_harder_in_one_language_for_equally_able_people_is_flagged():
    correct, language = simulated(n=6000)
    by_pair = {(r.reference, r.focal): r for r in mantel_haenszel_dif(correct, language, 3)}
    assert by_pair[(0, 2)].category[3] == "C"
    assert by_pair[(0, 2)].delta[3] < 0
    assert by_pair[(1, 2)].category[3] == "C"
    assert by_pair[(0, 1)].category[3] == "A"
    assert 3 in by_pair[(0, 2)].flagged
    assert by_pair[(0, 1)].flagged.size <= 1  # no built-in DIF: at most a chance B


def test_an_item_everyone_gets_right_has_no_defined_odds_ratio():
    correct = np.ones((20, 3))
    correct[:10, 1:] = 0
    (result,) = mantel_haenszel_dif(correct, np.repeat([0, 1], 10), 2)
    assert result.category[0] == "none"
    assert np.isnan(result.delta[0])
