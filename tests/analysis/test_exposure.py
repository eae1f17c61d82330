import numpy as np
import pytest

from analysis.adaptive import AdaptiveRules, item_bank, next_item
from analysis.exposure import sympson_hetter
from analysis.model import parse_maturity_model

N_COMPETENCES = 4
COMPETENCE = np.repeat(np.arange(N_COMPETENCES), 15)
LEVEL = np.tile(np.repeat(np.arange(1, 6), 3), N_COMPETENCES)
RULES = AdaptiveRules(max_items=8, min_per_competence=2, randomesque=1, max_exposure=0.3)


@pytest.fixture(scope="module")
def bank():
    rng = np.random.default_rng(0)
    a = rng.lognormal(0.2, 0.3, COMPETENCE.size)
    b = (LEVEL - 3) + rng.normal(0, 0.3, COMPETENCE.size)
    return item_bank(a, b, COMPETENCE)


def attempt(bank, rules, theta, seed, eligibility=None):
    rng = np.random.default_rng(seed + 10_000)
    shown, right = [], []
    while (step := next_item(bank, shown, right, seed, rules, eligibility)).item is not None:
        p = 1 / (1 + np.exp(-bank.discrimination[step.item] * (theta - bank.difficulty[step.item])))
        shown.append(step.item)
        right.append(float(rng.random() < p))
    return shown, right


def highest_exposure(bank, eligibility, n=400):
    counts = np.zeros(COMPETENCE.size)
    for person in range(n):
        theta = np.random.default_rng(person).normal()
        counts[attempt(bank, RULES, theta, person, eligibility)[0]] += 1
    return counts.max() / n


def test_sympson_hetter_keeps_every_item_near_the_target_where_maximum_information_does_not(bank):
    eligibility = sympson_hetter(bank, RULES, n_takers=600, rounds=10)
    assert np.array_equal(eligibility, sympson_hetter(bank, RULES, n_takers=600, rounds=10))
    assert 0 < eligibility.min() < 0.7
    assert eligibility.max() == 1.0
    without = highest_exposure(bank, None)
    assert without > 0.6  # maximum information picks the same items for most takers
    # The target less the simulation's margin, plus the sampling error of 400 new takers.
    assert highest_exposure(bank, eligibility) <= RULES.max_exposure + 0.05


def test_which_items_an_attempt_may_use_is_drawn_once_from_its_seed(bank):
    everything = np.ones(COMPETENCE.size)
    for seed in range(5):
        assert attempt(bank, RULES, 0.3, seed, everything) == attempt(bank, RULES, 0.3, seed)
    banned = everything.copy()
    favourite = [attempt(bank, RULES, 0.0, seed)[0][0] for seed in range(20)]
    banned[favourite] = 0.0
    for seed in range(20):
        shown, right = attempt(bank, RULES, 0.0, seed, banned)
        assert not set(shown) & set(favourite)
        for k in range(len(shown)):  # resumed at any point: the same next item
            again = next_item(bank, shown[:k], right[:k], seed, RULES, banned)
            assert again.item == shown[k]


def test_bad_exposure_arguments_are_refused(bank):
    with pytest.raises(ValueError, match="max_exposure"):
        sympson_hetter(bank, AdaptiveRules())
    with pytest.raises(ValueError, match="randomesque"):
        sympson_hetter(bank, AdaptiveRules(max_exposure=0.2, exposure="progressive"))
    with pytest.raises(ValueError, match="eligibility"):
        next_item(bank, [], [], 0, RULES, np.ones(3))
    with pytest.raises(ValueError, match="eligibility"):
        next_item(bank, [], [], 0, RULES, np.full(COMPETENCE.size, 1.5))


def test_max_exposure_is_read_from_the_maturity_model(model_dict):
    block = {"cut_scores": [-0.6, 0.4, 1.4, 2.4], "randomesque": 2, "max_exposure": 0.22}
    assert parse_maturity_model({**model_dict, "adaptive_test": block}).adaptive_rules.max_exposure == 0.22
    without = {k: v for k, v in block.items() if k != "max_exposure"}
    assert parse_maturity_model({**model_dict, "adaptive_test": without}).adaptive_rules.max_exposure is None
    for bad in ({"max_exposure": 1.5}, {"max_exposure": 0.2, "exposure": "progressive"}):
        with pytest.raises(ValueError, match="max_exposure"):
            parse_maturity_model({**model_dict, "adaptive_test": {**block, **bad}})
