import numpy as np
import pytest
from scipy import integrate, optimize, stats

from analysis.adaptive import (
    AdaptiveRules,
    competence_levels,
    cut_scores_from_levels,
    default_item_parameters,
    item_bank,
    levels_for,
    next_item,
)
from analysis.irt import eap

N_COMPETENCES = 4
COMPETENCE = np.repeat(np.arange(N_COMPETENCES), 15)
LEVEL = np.tile(np.repeat(np.arange(1, 6), 3), N_COMPETENCES)


@pytest.fixture(scope="module")
def bank():
    rng = np.random.default_rng(0)
    a = rng.lognormal(0.2, 0.3, COMPETENCE.size)
    b = (LEVEL - 3) + rng.normal(0, 0.3, COMPETENCE.size)
    return item_bank(a, b, COMPETENCE)


def run_attempt(bank, rules, theta, seed, answer_seed=None):
    """Items and answers of one simulated attempt, and every step's result."""
    rng = np.random.default_rng(seed if answer_seed is None else answer_seed)
    shown, right, steps = [], [], []
    while True:
        step = next_item(bank, shown, right, seed=seed, rules=rules)
        steps.append(step)
        if step.item is None:
            return shown, right, steps
        p = 1 / (1 + np.exp(-bank.discrimination[step.item] * (theta - bank.difficulty[step.item])))
        shown.append(step.item)
        right.append(float(rng.random() < p))


def test_the_next_item_is_a_pure_function_of_bank_answers_and_seed(bank):
    rules = AdaptiveRules(max_items=16, min_per_competence=2, randomesque=4)
    shown, right, steps = run_attempt(bank, rules, theta=0.4, seed=11)
    # Resuming at any point, on a fresh process state, gives the item the attempt got.
    for k in range(len(shown)):
        np.random.seed(k)  # the global generator plays no part
        again = next_item(bank, list(shown[:k]), list(right[:k]), seed=11, rules=rules)
        assert again.item == shown[k]
        assert again == steps[k]
    # Another seed changes some choices; the same seed never does.
    others = {tuple(run_attempt(bank, rules, 0.4, seed=s, answer_seed=1)[0]) for s in range(12)}
    assert len(others) > 1
    assert run_attempt(bank, rules, 0.4, seed=5, answer_seed=1)[0] == run_attempt(
        bank, rules, 0.4, seed=5, answer_seed=1
    )[0]


def test_without_randomness_the_item_has_the_most_information_at_the_eap(bank):
    rules = AdaptiveRules(max_items=20, min_per_competence=1, randomesque=1)
    shown, right, _ = run_attempt(bank, rules, theta=-0.5, seed=3)
    for k in range(N_COMPETENCES, len(shown)):
        x = np.full((1, COMPETENCE.size), np.nan)
        x[0, shown[:k]] = right[:k]
        theta = eap(x, bank.discrimination, bank.difficulty).theta[0]
        counts = np.bincount(COMPETENCE[shown[:k]], minlength=N_COMPETENCES)
        competence = COMPETENCE[shown[k]]
        assert counts[competence] == counts.min()  # competences take turns
        candidates = np.flatnonzero((competence == COMPETENCE) & ~np.isin(np.arange(COMPETENCE.size), shown[:k]))
        p = 1 / (1 + np.exp(-bank.discrimination * (theta - bank.difficulty)))
        information = bank.discrimination**2 * p * (1 - p)
        assert shown[k] == candidates[np.argmax(information[candidates])]


def test_randomesque_draws_among_the_top_items_of_the_competence(bank):
    first = {
        next_item(bank, [], [], seed=s, rules=AdaptiveRules(randomesque=3)).item for s in range(200)
    }
    p = 1 / (1 + np.exp(-bank.discrimination * (0 - bank.difficulty)))
    information = bank.discrimination**2 * p * (1 - p)
    top = set()
    for c in range(N_COMPETENCES):
        items = np.flatnonzero(c == COMPETENCE)
        top |= set(items[np.argsort(-information[items])[:3]].tolist())
    assert first == top  # 3 per competence, every one of them drawn
    deterministic = {next_item(bank, [], [], seed=s, rules=AdaptiveRules(randomesque=1)).item for s in range(50)}
    assert len(deterministic) == N_COMPETENCES  # only the competence is drawn


def test_exposure_control_lowers_the_highest_exposure(bank):
    def max_exposure(randomesque):
        counts = np.zeros(COMPETENCE.size)
        rules = AdaptiveRules(max_items=8, min_per_competence=2, randomesque=randomesque)
        for person in range(150):
            theta = np.random.default_rng(person).normal()
            counts[run_attempt(bank, rules, theta, seed=person)[0]] += 1
        return counts.max() / 150

    assert max_exposure(8) < max_exposure(1) - 0.2


def test_progressive_exposure_is_pure_too(bank):
    rules = AdaptiveRules(max_items=10, min_per_competence=2, exposure="progressive", randomesque=2)
    shown, right, _ = run_attempt(bank, rules, theta=1.0, seed=4)
    assert len(shown) == 10
    assert next_item(bank, shown[:6], right[:6], seed=4, rules=rules).item == shown[6]


def test_content_balancing_and_the_maximum_length(bank):
    rules = AdaptiveRules(max_items=14, target_se=0.01, min_per_competence=3, max_per_competence=4)
    for seed in range(5):
        shown, _, steps = run_attempt(bank, rules, theta=seed - 2.0, seed=seed)
        counts = np.bincount(COMPETENCE[shown], minlength=N_COMPETENCES)
        assert len(shown) == 14
        assert steps[-1].stop_reason == "max_items"
        assert counts.min() >= 3
        assert counts.max() <= 4
        assert len(set(shown)) == len(shown)
    # A maximum per competence below the length empties the open competences.
    short_bank = AdaptiveRules(max_items=30, target_se=0.01, min_per_competence=1, max_per_competence=2)
    shown, _, steps = run_attempt(bank, short_bank, theta=0.0, seed=1)
    assert len(shown) == 2 * N_COMPETENCES
    assert steps[-1].stop_reason == "bank_exhausted"


def test_stopping_at_the_target_se_only_after_every_minimum(bank):
    rules = AdaptiveRules(max_items=40, target_se=0.45, min_per_competence=2)
    for seed in range(5):
        shown, _, steps = run_attempt(bank, rules, theta=0.3 * seed, seed=seed)
        assert steps[-1].stop_reason == "target_se"
        assert steps[-1].se <= 0.45
        counts = np.bincount(COMPETENCE[shown], minlength=N_COMPETENCES)
        assert counts.min() >= 2
        # It did not run on: every earlier step had a competence short or the SE above target.
        for k, step in enumerate(steps[:-1]):
            early = np.bincount(COMPETENCE[shown[:k]], minlength=N_COMPETENCES).min() < 2
            assert early or step.se > 0.45


def test_a_competence_se_target_keeps_the_test_going_on_the_uncertain_competences(bank):
    loose = AdaptiveRules(max_items=40, target_se=0.5, min_per_competence=1)
    strict = AdaptiveRules(max_items=40, target_se=0.5, min_per_competence=1, competence_target_se=0.55)
    shown_loose = run_attempt(bank, loose, theta=0.0, seed=2)[0]
    shown_strict, right, steps = run_attempt(bank, strict, theta=0.0, seed=2)
    assert len(shown_strict) > len(shown_loose)
    assert steps[-1].stop_reason == "target_se"
    x = np.full((1, COMPETENCE.size), np.nan)
    x[0, shown_strict] = right
    assert np.all(competence_levels(x, bank, [-1, 0, 1, 2]).se <= 0.55)


def test_bad_attempts_are_refused(bank):
    with pytest.raises(ValueError, match="twice"):
        next_item(bank, [1, 1], [1, 0], seed=0)
    with pytest.raises(ValueError, match="1 \\(right\\) or 0"):
        next_item(bank, [1], [0.5], seed=0)
    with pytest.raises(ValueError, match="seed"):
        next_item(bank, [], [], seed=-1)
    with pytest.raises(ValueError, match="not in the bank"):
        next_item(bank, [999], [1], seed=0)


def _direct_moments(a, b, x, mean, sd, cuts=None):
    """Posterior mean, SD (and band probabilities) by numerical integration."""
    def joint(t):
        p = 1 / (1 + np.exp(-a * (t - b)))
        return np.prod(np.where(x == 1, p, 1 - p)) * stats.norm.pdf(t, mean, sd)

    lo, hi = mean - 10 * sd, mean + 10 * sd
    z = integrate.quad(joint, lo, hi, limit=200)[0]
    m1 = integrate.quad(lambda t: t * joint(t), lo, hi, limit=200)[0] / z
    m2 = integrate.quad(lambda t: t * t * joint(t), lo, hi, limit=200)[0] / z
    bands = None
    if cuts is not None:
        edges = np.r_[lo, cuts, hi]
        bands = [integrate.quad(joint, edges[i], edges[i + 1])[0] / z for i in range(5)]
    return m1, np.sqrt(m2 - m1**2), bands


def test_competence_levels_borrow_from_the_other_competences_as_documented(bank):
    rng = np.random.default_rng(5)
    shown = rng.choice(COMPETENCE.size, 14, replace=False)
    x = np.full((1, COMPETENCE.size), np.nan)
    x[0, shown] = (rng.random(14) < 0.6).astype(float)
    cuts = np.array([-1.0, -0.2, 0.6, 1.5])
    result = competence_levels(x, bank, cuts, deviation_sd=0.5)
    a, b = bank.discrimination, bank.difficulty
    for c in range(N_COMPETENCES):
        rest = shown[COMPETENCE[shown] != c]
        own = shown[COMPETENCE[shown] == c]
        m, s, _ = _direct_moments(a[rest], b[rest], x[0, rest], 0.0, 1.0)
        theta, se, bands = _direct_moments(a[own], b[own], x[0, own], m, np.hypot(s, 0.5), cuts)
        assert result.theta[0, c] == pytest.approx(theta, abs=2e-3)
        assert result.se[0, c] == pytest.approx(se, abs=2e-3)
        # Band masses on a 121-node grid: within about one node's weight.
        np.testing.assert_allclose(result.probabilities[0, c], bands, atol=0.03)
        assert result.level[0, c] == np.argmax(result.probabilities[0, c]) + 1
        assert result.probability[0, c] == result.probabilities[0, c].max()
        assert result.n_items[0, c] == own.size
    np.testing.assert_allclose(result.probabilities.sum(axis=2), 1.0)


def test_competence_levels_place_simulated_takers_better_than_chance(bank):
    rng = np.random.default_rng(6)
    theta = rng.normal(size=300)
    p = 1 / (1 + np.exp(-bank.discrimination * (theta[:, None] - bank.difficulty)))
    x = (rng.random(p.shape) < p).astype(float)
    cuts = np.array([-1.2, -0.4, 0.4, 1.2])
    result = competence_levels(x, bank, cuts)
    truth = levels_for(theta, cuts)
    assert np.mean(result.level[:, 0] == truth) > 0.6
    assert np.mean(result.probability) > 0.5


def test_levels_for_cut_scores_and_cut_scores_from_levels():
    np.testing.assert_array_equal(levels_for([-2.0, -1.0, 0.5, 3.0], [-1.0, 0.0, 1.0, 2.0]), [1, 2, 3, 5])
    a, b = default_item_parameters(LEVEL[:15])
    np.testing.assert_array_equal(b, np.repeat([-2.0, -1.0, 0.0, 1.0, 2.0], 3))
    np.testing.assert_array_equal(a, 1.0)
    b = b + np.tile([-0.3, 0.0, 0.4], 5)
    cuts = cut_scores_from_levels(a, b, LEVEL[:15], pass_share=0.6)
    for level, cut in zip(range(2, 6), cuts, strict=True):
        items = LEVEL[:15] == level
        share = lambda t, items=items: np.mean(1 / (1 + np.exp(-(t - b[items])))) - 0.6  # noqa: E731
        assert cut == pytest.approx(optimize.brentq(share, -10, 10), abs=1e-6)
    assert np.all(np.diff(cuts) > 0)
    with pytest.raises(ValueError, match="1..5"):
        default_item_parameters([0, 3])
    with pytest.raises(ValueError, match="cut scores"):
        competence_levels(np.zeros((1, 3)), item_bank([1, 1, 1], [0, 0, 0], [0, 0, 0]), [1, 0, 2, 3])


def test_the_shipped_cut_scores_mirror_the_linear_rule_on_the_provisional_parameters():
    from pathlib import Path

    import yaml

    from analysis.model import parse_maturity_model

    root = Path(__file__).resolve().parents[2] / "questionnaires"
    model = parse_maturity_model(yaml.safe_load((root / "maturity_model.yaml").read_text("utf-8")))
    test = yaml.safe_load((root / "digital_skills_test.yaml").read_text("utf-8"))
    levels = np.array([item["level"] for item in test["items"]])
    a, b = default_item_parameters(levels)
    np.testing.assert_allclose(model.cut_scores, cut_scores_from_levels(a, b, levels), atol=1e-3)


def test_score_people_gives_adaptive_levels_by_competence_levels_and_skips_the_untested():
    from analysis.model import MaturityModel, ProficiencyRule
    from analysis.people import IrtScoring, score_people

    rng = np.random.default_rng(4)
    competence = np.repeat(np.arange(3), 10)
    a, b = default_item_parameters(np.tile(np.repeat(np.arange(1, 6), 2), 3))
    bank = item_bank(a, b, competence)
    responses = (rng.random((4, 30)) < 0.5).astype(float)
    responses[rng.random((4, 30)) < 0.6] = np.nan
    responses[3] = np.nan  # did not take the test
    cuts = (-0.595, 0.405, 1.405, 2.405)
    model = MaturityModel((1.0, 1.5, 2.5, 3.5, 4.5), (), (), ProficiencyRule())
    person = score_people(model, (), np.zeros((4, 0)), [], [], responses, competence,
                          np.ones(30, dtype=int), 3, [True, True, True, False],
                          np.zeros((0, 3), dtype=np.int64), [-1] * 4, irt=IrtScoring(bank, cuts))
    expected = competence_levels(responses[:3], bank, cuts)
    np.testing.assert_array_equal(person.levels[:3], expected.level)
    np.testing.assert_allclose(person.theta[:3], expected.theta)
    np.testing.assert_allclose(person.probability[:3], expected.probability)
    assert np.all(person.levels[3] == 0)
    assert np.all(np.isnan(person.theta[3]))
