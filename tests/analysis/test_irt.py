import numpy as np
import pytest
from scipy import integrate, optimize, stats

import analysis.irt as irt
from analysis.irt import (
    calibrate,
    eap,
    item_fit,
    item_information,
    posterior,
    probability,
    test_information,
    wle,
)

nan = np.nan


def simulate(n, a, b, seed, presented_share=1.0):
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=n)
    p = 1 / (1 + np.exp(-a * (theta[:, None] - b)))
    x = (rng.random(p.shape) < p).astype(float)
    x[rng.random(p.shape) >= presented_share] = nan
    return x, theta


A_TRUE = np.linspace(0.5, 2.2, 20)[np.random.default_rng(7).permutation(20)]
B_TRUE = np.linspace(-2.0, 2.0, 20)


@pytest.fixture(scope="module")
def fitted():
    x, _ = simulate(4000, A_TRUE, B_TRUE, seed=1)
    return calibrate(x, "2pl")


def test_2pl_recovers_simulated_item_parameters(fitted):
    assert fitted.converged
    # A start at a = 1 would be 0.5 off on a; a shifted scale would be off on b.
    assert np.sqrt(np.mean((fitted.discrimination - A_TRUE) ** 2)) < 0.10
    assert np.sqrt(np.mean((fitted.difficulty - B_TRUE) ** 2)) < 0.10
    assert np.corrcoef(fitted.discrimination, A_TRUE)[0, 1] > 0.97
    np.testing.assert_array_equal(fitted.n_presented, 4000)
    np.testing.assert_allclose(fitted.intercept, -fitted.discrimination * fitted.difficulty)


def test_2pl_standard_errors_match_the_errors_of_the_estimates(fitted):
    z_a = (fitted.discrimination - A_TRUE) / fitted.discrimination_se
    z_b = (fitted.difficulty - B_TRUE) / fitted.difficulty_se
    # SEs ten times too small or too large fail; the sample SD of 20 z-scores is noisy.
    assert 0.6 < np.sqrt(np.mean(z_a**2)) < 1.5
    assert 0.6 < np.sqrt(np.mean(z_b**2)) < 1.5
    # Harder-to-place items (extreme b, low a) have larger SEs.
    extreme = np.abs(B_TRUE) > 1.5
    assert fitted.difficulty_se[extreme].mean() > fitted.difficulty_se[~extreme].mean()


def _marginal_log_likelihood(x, a, b):
    """Plain marginal log-likelihood by Gauss–Hermite quadrature (not the EM's grid)."""
    nodes, weights = np.polynomial.hermite_e.hermegauss(60)
    weights = weights / weights.sum()
    presented = ~np.isnan(x)
    right = np.nan_to_num(x)
    z = a * (nodes[:, None] - b)
    log_right, log_wrong = -np.logaddexp(0, -z), -np.logaddexp(0, z)
    log_p = right @ log_right.T + (presented * (1 - right)) @ log_wrong.T  # (n, Q)
    return float(np.sum(np.log(np.exp(log_p) @ weights)))


def test_2pl_with_items_not_presented_maximises_the_marginal_likelihood():
    a, b = np.array([0.8, 1.2, 1.6, 1.0, 2.0]), np.array([-1.0, 0.0, 0.5, 1.2, -0.4])
    x, _ = simulate(800, a, b, seed=2, presented_share=0.6)
    fit = calibrate(x, "2pl", slope_prior_sd=None, intercept_prior_sd=None, tolerance=1e-7)

    def objective(v):
        return -_marginal_log_likelihood(x, v[:5], v[5:])

    direct = optimize.minimize(objective, np.r_[np.ones(5), np.zeros(5)], method="L-BFGS-B",
                               bounds=[(0.1, 5)] * 5 + [(-5, 5)] * 5)
    np.testing.assert_allclose(fit.discrimination, direct.x[:5], atol=0.01)
    np.testing.assert_allclose(fit.difficulty, direct.x[5:], atol=0.01)
    assert fit.log_likelihood == pytest.approx(-direct.fun, abs=0.05)


def test_2pl_standard_errors_are_the_inverse_of_each_items_observed_information():
    a, b = np.array([0.9, 1.4, 1.1, 1.8, 0.7, 1.2]), np.array([-1.2, -0.3, 0.0, 0.4, 1.0, 1.5])
    x, _ = simulate(1500, a, b, seed=3, presented_share=0.8)
    fit = calibrate(x, "2pl", slope_prior_sd=None, intercept_prior_sd=None, tolerance=1e-8)
    item, h = 1, 1e-3
    est = np.r_[fit.discrimination, fit.difficulty]

    def loglik(da, db):
        v = est.copy()
        v[item] += da
        v[6 + item] += db
        return _marginal_log_likelihood(x, v[:6], v[6:])

    f0 = loglik(0, 0)
    haa = (loglik(h, 0) - 2 * f0 + loglik(-h, 0)) / h**2
    hbb = (loglik(0, h) - 2 * f0 + loglik(0, -h)) / h**2
    hab = (loglik(h, h) - loglik(h, -h) - loglik(-h, h) + loglik(-h, -h)) / (4 * h**2)
    covariance = np.linalg.inv(-np.array([[haa, hab], [hab, hbb]]))
    assert fit.discrimination_se[item] == pytest.approx(np.sqrt(covariance[0, 0]), rel=0.03)
    assert fit.difficulty_se[item] == pytest.approx(np.sqrt(covariance[1, 1]), rel=0.03)


def test_2pl_and_rasch_agree_with_girth_on_complete_data():
    girth = pytest.importorskip("girth")
    a, b = np.linspace(0.6, 2.0, 10), np.linspace(-1.5, 1.5, 10)
    x, _ = simulate(1500, a, b, seed=4)
    ours = calibrate(x, "2pl", slope_prior_sd=None, intercept_prior_sd=None, tolerance=1e-6)
    theirs = girth.twopl_mml(x.T.astype(int), {"use_LUT": False})
    np.testing.assert_allclose(ours.discrimination, theirs["Discrimination"], atol=0.01)
    np.testing.assert_allclose(ours.difficulty, theirs["Difficulty"], atol=0.01)
    ours_1pl = calibrate(x, "rasch", tolerance=1e-6)
    theirs_1pl = girth.onepl_mml(x.T.astype(int))
    assert ours_1pl.discrimination[0] == pytest.approx(theirs_1pl["Discrimination"], abs=0.005)
    np.testing.assert_allclose(ours_1pl.difficulty, theirs_1pl["Difficulty"], atol=0.01)


def test_rasch_recovers_difficulties_with_one_common_discrimination():
    b = np.linspace(-2, 2, 15)
    x, _ = simulate(3000, np.full(15, 1.3), b, seed=5, presented_share=0.5)
    fit = calibrate(x, "rasch")
    assert np.ptp(fit.discrimination) == 0
    assert fit.discrimination[0] == pytest.approx(1.3, abs=0.1)
    assert np.sqrt(np.mean((fit.difficulty - b) ** 2)) < 0.1
    z = (fit.difficulty - b) / fit.difficulty_se
    assert 0.6 < np.sqrt(np.mean(z**2)) < 1.5


def test_sparse_and_dense_products_give_the_same_calibration(monkeypatch):
    x, _ = simulate(1200, A_TRUE[:8], B_TRUE[::2][:8], seed=6, presented_share=0.3)
    monkeypatch.setattr(irt, "SPARSE_SHARE", 1.01)  # always sparse
    sparse_fit = calibrate(x, "2pl")
    monkeypatch.setattr(irt, "SPARSE_SHARE", 0.0)  # always dense
    dense_fit = calibrate(x, "2pl")
    np.testing.assert_allclose(sparse_fit.discrimination, dense_fit.discrimination, rtol=1e-9)
    np.testing.assert_allclose(sparse_fit.difficulty_se, dense_fit.difficulty_se, rtol=1e-9)
    assert sparse_fit.iterations == dense_fit.iterations


def test_takers_without_answers_are_left_out_and_bad_values_refused():
    x, _ = simulate(300, A_TRUE[:5], B_TRUE[:5], seed=8)
    x[:20] = nan
    x[25:, 4] = nan
    fit = calibrate(x, "rasch")
    assert fit.n_takers == 280
    assert fit.n_presented[4] == 5
    with pytest.raises(ValueError, match="1.0, 0.0 or nan"):
        calibrate(np.array([[1.0, 2.0]]))
    with pytest.raises(ValueError, match="model"):
        calibrate(x, "3pl")


def _direct_eap(x, a, b, mean=0.0, sd=1.0):
    def joint(t, power):
        p = 1 / (1 + np.exp(-a * (t - b)))
        shown = ~np.isnan(x)
        like = np.prod(np.where(shown, np.where(x == 1, p, 1 - p), 1.0))
        return t**power * like * stats.norm.pdf(t, mean, sd)

    bounds = (mean - 10 * sd, mean + 10 * sd)
    z, m1, m2 = (integrate.quad(joint, *bounds, args=(k,), limit=200)[0] for k in range(3))
    return m1 / z, np.sqrt(m2 / z - (m1 / z) ** 2)


def test_eap_matches_direct_numerical_integration():
    a, b = np.array([1.0, 1.5, 0.7, 2.0, 1.2]), np.array([-1.0, 0.2, 0.8, 1.5, -0.3])
    x = np.array([[1, 1, 0, 0, 1], [0, nan, nan, 1, 0], [1, 1, 1, 1, 1], [nan] * 5])
    result = eap(x, a, b)
    for row in range(4):
        theta, se = _direct_eap(x[row], a, b)
        assert result.theta[row] == pytest.approx(theta, abs=1e-4)
        assert result.se[row] == pytest.approx(se, abs=1e-4)
    # A subset of items and a prior per taker.
    means, sds = np.array([0.5, -1.0, 0.0, 2.0]), np.array([0.6, 1.2, 0.8, 0.5])
    subset = eap(x, a, b, items=[0, 3, 4], prior_mean=means, prior_sd=sds)
    for row in range(4):
        theta, se = _direct_eap(x[row, [0, 3, 4]], a[[0, 3, 4]], b[[0, 3, 4]], means[row], sds[row])
        assert subset.theta[row] == pytest.approx(theta, abs=1e-4)
        assert subset.se[row] == pytest.approx(se, abs=1e-4)
    assert result.theta[3] == pytest.approx(0.0, abs=1e-9)  # nothing presented: the prior


def test_posterior_weights_are_a_distribution_per_taker():
    x = np.array([[1, 0, nan], [nan, nan, 1]])
    post = posterior(x, [1, 1, 1], [0, 1, -1], prior_mean=[0, 1], prior_sd=[1, 2])
    np.testing.assert_allclose(post.weights.sum(axis=1), 1.0)
    assert post.nodes.shape == post.weights.shape


def test_information_functions_match_their_closed_forms():
    a, b = np.array([0.8, 1.5, 2.2]), np.array([-1.0, 0.0, 1.3])
    theta = np.array([-2.0, -1.0, 0.0, 0.7, 1.3, 3.0])
    info = item_information(theta, a, b)
    # The maximum a²/4 at θ = b.
    np.testing.assert_allclose(np.diag(item_information(b, a, b)), a**2 / 4)
    # Fisher information of a Bernoulli answer: P'(θ)² / (P(1 − P)), P' by central differences.
    h = 1e-5
    slope = (probability(theta + h, a, b) - probability(theta - h, a, b)) / (2 * h)
    p = probability(theta, a, b)
    np.testing.assert_allclose(info, slope**2 / (p * (1 - p)), rtol=1e-6)
    np.testing.assert_allclose(test_information(theta, a, b), info.sum(axis=1))


def test_item_fit_by_hand_and_a_planted_misfitting_item():
    a, b = np.full(12, 1.2), np.linspace(-1.5, 1.5, 12)
    x, theta = simulate(3000, a, b, seed=9, presented_share=0.9)
    rng = np.random.default_rng(10)
    answered = ~np.isnan(x[:, 5])
    x[answered, 5] = (rng.random(answered.sum()) < 0.5).astype(float)  # ability plays no part
    fit = item_fit(x, a, b)
    assert fit.flags[5] == ("misfit",)
    assert fit.outfit[5] > 1.3
    others = np.delete(np.arange(12), 5)
    assert all(fit.flags[i] == () for i in others)
    # Abilities estimated from the same 11 items fit them a little too well: below 1, not above.
    assert np.all((fit.infit[others] > 0.75) & (fit.infit[others] < 1.1))
    # The formulas, with abilities given.
    given = item_fit(x, a, b, theta=theta)
    shown = ~np.isnan(x[:, 0])
    p = 1 / (1 + np.exp(-a[0] * (theta[shown] - b[0])))
    residual = x[shown, 0] - p
    assert given.outfit[0] == pytest.approx(np.mean(residual**2 / (p * (1 - p))))
    assert given.infit[0] == pytest.approx(np.sum(residual**2) / np.sum(p * (1 - p)))
    assert given.n_responses[0] == shown.sum()


def test_wle_solves_warms_estimating_equation():
    a, b = np.array([1.0, 1.5, 0.7, 2.0]), np.array([-1.0, 0.2, 0.8, 1.5])
    x = np.array([[1, 1, 0, 0], [0, nan, 1, 0], [1, 1, 1, 1], [0, 0, 0, 0], [nan] * 4])
    result = wle(x, a, b)

    def equation(t, row):
        shown = ~np.isnan(row)
        aa, bb, xx = a[shown], b[shown], row[shown]
        p = 1 / (1 + np.exp(-aa * (t - bb)))
        info = np.sum(aa**2 * p * (1 - p))
        return np.sum(aa * (xx - p)) + np.sum(aa**3 * p * (1 - p) * (1 - 2 * p)) / (2 * info)

    for row in range(4):
        assert result[row] == pytest.approx(optimize.brentq(equation, -6, 6, args=(x[row],)), abs=1e-6)
    assert np.isnan(result[4])
    assert result[3] < result[0] < result[2]  # finite even for all wrong / all right


def test_rasch_standard_errors_are_close_to_the_full_observed_information():
    b = np.linspace(-1.5, 1.5, 6)
    x, _ = simulate(1500, np.full(6, 1.2), b, seed=12, presented_share=0.8)
    fit = calibrate(x, "rasch", tolerance=1e-9)
    est = np.r_[fit.discrimination[0], fit.difficulty]

    def loglik(v):
        return _marginal_log_likelihood(x, np.full(6, v[0]), v[1:])

    h, k = 1e-3, est.size
    step = np.eye(k) * h
    hessian = np.array([
        [(loglik(est + step[i] + step[j]) - loglik(est + step[i] - step[j])
          - loglik(est - step[i] + step[j]) + loglik(est - step[i] - step[j])) / (4 * h * h)
         for j in range(k)]
        for i in range(k)
    ])
    full = np.sqrt(np.diag(np.linalg.inv(-hessian)))
    assert fit.discrimination_se[0] == pytest.approx(full[0], rel=0.03)
    # Covariances between two items' intercepts are left out: b's SEs run a few % low.
    np.testing.assert_allclose(fit.difficulty_se, full[1:], rtol=0.08)
    assert np.all(fit.difficulty_se <= full[1:] * 1.01)
