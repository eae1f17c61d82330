"""Item response theory for the skills test: Rasch and 2PL calibration, EAP ability, item fit
and information.

Model: the probability that a taker of ability θ answers item j right is
``P_j(θ) = 1 / (1 + exp(−a_j (θ − b_j)))`` (discrimination a, difficulty b), θ ~ N(0, 1) in the
calibration population. The Rasch model shares one discrimination among all items (estimated, so
the ability scale stays N(0, 1); this is the Rasch model with a free ability variance).

Responses are float arrays (n_takers, n_items) of 1.0 (right), 0.0 (wrong) and nan (not
presented). Unlike :func:`analysis.testscoring.proficiency_levels`, nan is *not* wrong here: an
adaptive test presents each taker a few items, and an item never shown says nothing. A finished
linear attempt should therefore score unanswered items as 0.0 before calling these functions.

The EM internals and the standard errors of a calibration are in :mod:`analysis._em`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis._arrays import as_matrix, binary_parts
from analysis._em import FloatArray, Model, normalise, response_data, run_em

CALIBRATION_NODES = 41  # rectangular quadrature on N(0, 1), nodes 0.25 apart
CALIBRATION_HALF_WIDTH = 5.0
EAP_NODES = 61
EAP_HALF_WIDTH = 6.0  # in prior SDs around the prior mean
SLOPE_PRIOR_SD = 0.5  # log a ~ N(0, 0.5²) for the 2PL: a between 0.37 and 2.7 at 95 %
INTERCEPT_PRIOR_SD = 5.0  # a·b ~ N(0, 5²): only stops an all-right item running off to infinity
SPARSE_SHARE = 0.35  # below this share of presented cells the products use sparse matrices
FIT_BOUNDS = (0.7, 1.3)  # infit/outfit mean square outside: "misfit" (Wright & Linacre)


@dataclass(frozen=True)
class Calibration:
    """Item parameters estimated by marginal maximum likelihood; arrays of shape (n_items,).

    ``log_likelihood`` is the marginal log-likelihood (priors left out) at the estimates;
    ``max_change`` the largest change of any a or b in the last EM cycle. Standard errors are
    nan for an item nobody was presented.
    """

    model: Model
    discrimination: FloatArray  # a
    difficulty: FloatArray  # b
    discrimination_se: FloatArray
    difficulty_se: FloatArray
    n_presented: NDArray[np.int64]  # takers who were presented each item
    n_takers: int  # takers with at least one presented item
    log_likelihood: float
    iterations: int
    converged: bool
    max_change: float
    seconds: float

    @property
    def intercept(self) -> FloatArray:
        """d = −a·b, the logit of a right answer at θ = 0."""
        return -self.discrimination * self.difficulty


@dataclass(frozen=True)
class Ability:
    """EAP abilities: posterior mean and posterior SD (the standard error), shape (n_takers,)."""

    theta: FloatArray
    se: FloatArray


@dataclass(frozen=True)
class Posterior:
    """Posterior of θ on a grid: ``nodes`` (n_nodes,) shared by all takers or (n_takers,
    n_nodes) per taker, ``weights`` (n_takers, n_nodes), each row summing to 1."""

    nodes: FloatArray
    weights: FloatArray

    def ability(self) -> Ability:
        """Posterior mean and SD of every taker."""
        mean = np.sum(self.weights * self.nodes, axis=1)
        spread = np.sum(self.weights * self.nodes**2, axis=1) - mean**2
        return Ability(mean, np.sqrt(np.maximum(spread, 0.0)))


@dataclass(frozen=True)
class ItemFit:
    """Rasch mean-square fit per item, shape (n_items,); nan for an item nobody was shown.

    ``outfit``: mean of squared standardised residuals (sensitive to surprising answers far from
    the item's difficulty); ``infit``: information-weighted, Σ(x − P)² / ΣP(1 − P). Both expect
    1; > 1 noisier than the model, < 1 more predictable (often a too-steep item).
    """

    infit: FloatArray
    outfit: FloatArray
    n_responses: NDArray[np.int64]
    flags: tuple[tuple[str, ...], ...]


# ---------------------------------------------------------------------------------------------
# The model


def _params(discrimination: ArrayLike, difficulty: ArrayLike) -> tuple[FloatArray, FloatArray]:
    a = np.atleast_1d(np.asarray(discrimination, dtype=float))
    b = np.atleast_1d(np.asarray(difficulty, dtype=float))
    a = np.broadcast_to(a, b.shape) if a.size == 1 else a
    if a.shape != b.shape or a.ndim != 1:
        raise ValueError("discrimination and difficulty need one value per item")
    return a, b


def probability(theta: ArrayLike, discrimination: ArrayLike, difficulty: ArrayLike) -> FloatArray:
    """P(right), shape (n_theta, n_items), for abilities ``theta`` (n_theta,) and items."""
    a, b = _params(discrimination, difficulty)
    t = np.atleast_1d(np.asarray(theta, dtype=float))
    result: FloatArray = 1.0 / (1.0 + np.exp(-a * (t[:, None] - b)))
    return result


def item_information(
    theta: ArrayLike, discrimination: ArrayLike, difficulty: ArrayLike
) -> FloatArray:
    """Fisher information a²·P·(1 − P) of each item, shape (n_theta, n_items)."""
    a, _ = _params(discrimination, difficulty)
    p = probability(theta, discrimination, difficulty)
    result: FloatArray = a**2 * p * (1.0 - p)
    return result


def test_information(theta: ArrayLike, discrimination: ArrayLike, difficulty: ArrayLike) -> FloatArray:
    """Test information (sum of item information), shape (n_theta,); 1/√I is the SE of the
    maximum-likelihood θ at that ability (the EAP SE adds the prior: ≈ 1/√(I + 1))."""
    result: FloatArray = item_information(theta, discrimination, difficulty).sum(axis=1)
    return result


test_information.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def normal_quadrature(n_nodes: int, half_width: float) -> tuple[FloatArray, FloatArray]:
    """Equally spaced nodes on [−half_width, half_width] and N(0, 1) weights summing to 1."""
    if n_nodes < 5:
        raise ValueError("at least 5 quadrature nodes are needed")
    nodes = np.linspace(-half_width, half_width, n_nodes)
    weights = np.exp(-0.5 * nodes**2)
    return nodes, weights / weights.sum()


# ---------------------------------------------------------------------------------------------
# Calibration


def calibrate(
    responses: ArrayLike,
    model: Model = "2pl",
    *,
    n_nodes: int = CALIBRATION_NODES,
    max_iterations: int = 500,
    tolerance: float = 1e-4,
    slope_prior_sd: float | None = SLOPE_PRIOR_SD,
    intercept_prior_sd: float | None = INTERCEPT_PRIOR_SD,
) -> Calibration:
    """Estimate item parameters by marginal maximum likelihood, EM of Bock & Aitkin (1981).

    ``responses``: float (n_takers, n_items) of 1.0 / 0.0 / nan, nan = not presented (sparse
    adaptive data is fine; takers with nothing presented are left out). θ ~ N(0, 1) on
    ``n_nodes`` equally spaced nodes over ±5. Each EM cycle: posterior weights of every taker
    on the nodes (E), then Fisher-scoring steps on the expected right/presented counts per
    item and node (M). Stops when no a or b moves by more than ``tolerance`` in a cycle.

    2PL priors (MAP within the EM; None switches one off): log a ~ N(0, slope_prior_sd²) and
    the intercept d = −a·b ~ N(0, intercept_prior_sd²). The Rasch model's common a has no
    prior. a is kept in [0.05, 6] and |d| ≤ 25.

    Standard errors: the inverse of the observed information (Louis 1982: complete-data
    information minus the posterior variance of the score) including the priors. For the 2PL
    each item's 2 × 2 block is exact and covariances between items are neglected; for the
    Rasch model the common slope and its covariance with each intercept are included.
    """
    if model not in ("rasch", "2pl"):
        raise ValueError(f"unknown model {model!r}")
    started = time.perf_counter()
    data = response_data(responses, SPARSE_SHARE)
    nodes, weights = normal_quadrature(n_nodes, CALIBRATION_HALF_WIDTH)
    fit = run_em(
        data,
        model,
        nodes,
        np.log(weights),
        max_iterations,
        tolerance,
        slope_prior_sd,
        intercept_prior_sd,
    )
    return Calibration(
        model=model,
        discrimination=fit.slope,
        difficulty=-fit.intercept / fit.slope,
        discrimination_se=fit.slope_se,
        difficulty_se=fit.difficulty_se,
        n_presented=data.n_presented,
        n_takers=int(data.right.shape[0]),
        log_likelihood=fit.log_likelihood,
        iterations=fit.iterations,
        converged=fit.converged,
        max_change=fit.max_change,
        seconds=time.perf_counter() - started,
    )


# ---------------------------------------------------------------------------------------------
# Ability


def posterior(
    responses: ArrayLike,
    discrimination: ArrayLike,
    difficulty: ArrayLike,
    *,
    items: ArrayLike | None = None,
    prior_mean: ArrayLike = 0.0,
    prior_sd: ArrayLike = 1.0,
    n_nodes: int = EAP_NODES,
) -> Posterior:
    """Posterior of θ for each taker given the presented answers, on a quadrature grid.

    ``responses``: (n_takers, n_items) of 1.0 / 0.0 / nan (nan = not presented, ignored).
    ``items``: optional bool (n_items,) or index array; only those items are used (ability on
    a subset, such as one competence). Prior N(prior_mean, prior_sd²); each a scalar or an
    array (n_takers,). The grid is ``n_nodes`` nodes over prior_mean ± 6 prior_sd.
    A taker with nothing presented gets the prior.
    """
    matrix = np.atleast_2d(as_matrix(responses, "responses"))
    a, b = _params(discrimination, difficulty)
    if matrix.shape[1] != a.size:
        raise ValueError("responses need one column per item")
    if items is not None:
        chosen = np.asarray(items)
        matrix, a, b = matrix[:, chosen], a[chosen], b[chosen]
    n = matrix.shape[0]
    mean = np.broadcast_to(np.asarray(prior_mean, dtype=float), (n,))
    sd = np.broadcast_to(np.asarray(prior_sd, dtype=float), (n,))
    if np.any(sd <= 0):
        raise ValueError("prior_sd must be positive")
    standard, standard_weights = normal_quadrature(n_nodes, EAP_HALF_WIDTH)
    log_weights = np.log(standard_weights)
    if n == 0 or (np.all(mean == mean[0]) and np.all(sd == sd[0])):
        nodes = (mean[0] if n else 0.0) + (sd[0] if n else 1.0) * standard
        if a.size == 0:
            return Posterior(nodes, np.tile(standard_weights, (n, 1)))
        right, missing = binary_parts(matrix)
        right_f = right.astype(np.float64)
        z = a[:, None] * nodes + (-a * b)[:, None]
        log_right, log_wrong = -np.logaddexp(0.0, -z), -np.logaddexp(0.0, z)
        table = right_f @ (log_right - log_wrong) + (~missing).astype(np.float64) @ log_wrong
        table += log_weights
        normalise(table)
        return Posterior(nodes, table)
    # Per-taker grids: (n, Q) nodes, likelihood summed over items in blocks of takers.
    grid = mean[:, None] + sd[:, None] * standard
    table = np.tile(log_weights, (n, 1))
    right, missing = binary_parts(matrix)
    rows = max(1, (1 << 20) // max(1, a.size * n_nodes))
    for start in range(0, n, rows):
        stop = min(start + rows, n)
        z = a[None, None, :] * (grid[start:stop, :, None] - b)
        answered = right[start:stop, None, :]
        log_p = -np.logaddexp(0.0, np.where(answered, -z, z))
        log_p *= ~missing[start:stop, None, :]
        table[start:stop] += log_p.sum(axis=2)
    normalise(table)
    return Posterior(grid, table)


def eap(
    responses: ArrayLike,
    discrimination: ArrayLike,
    difficulty: ArrayLike,
    *,
    items: ArrayLike | None = None,
    prior_mean: ArrayLike = 0.0,
    prior_sd: ArrayLike = 1.0,
    n_nodes: int = EAP_NODES,
) -> Ability:
    """EAP ability (posterior mean) and its standard error (posterior SD) per taker, from the
    presented answers (nan ignored), optionally on a subset of ``items``; see :func:`posterior`."""
    return posterior(
        responses,
        discrimination,
        difficulty,
        items=items,
        prior_mean=prior_mean,
        prior_sd=prior_sd,
        n_nodes=n_nodes,
    ).ability()


def wle(
    responses: ArrayLike,
    discrimination: ArrayLike,
    difficulty: ArrayLike,
    bound: float = 6.0,
) -> FloatArray:
    """Warm's (1989) weighted likelihood estimate of θ per taker, shape (n_takers,).

    The root of Σ a(x − P) + Σ a³P(1 − P)(1 − 2P) / (2 Σ a²P(1 − P)) over the presented items,
    found by bisection on [−bound, bound]; finite for all-right and all-wrong patterns, and not
    pulled towards a prior (which is why item fit uses it). nan for a taker with nothing
    presented.
    """
    matrix = as_matrix(responses, "responses")
    a, b = _params(discrimination, difficulty)
    right, missing = binary_parts(matrix)
    shown = ~missing
    result = np.full(matrix.shape[0], np.nan)
    rows = max(1, (1 << 20) // max(1, a.size))
    for start in range(0, matrix.shape[0], rows):
        x = right[start:start + rows]
        m = shown[start:start + rows].astype(np.float64)
        low = np.full(x.shape[0], -bound)
        high = np.full(x.shape[0], bound)
        for _ in range(50):
            middle = 0.5 * (low + high)
            p = 1.0 / (1.0 + np.exp(-a * (middle[:, None] - b)))
            q = m * p * (1.0 - p)
            info = q @ a**2
            score = (m * (x - p)) @ a + (q * (1.0 - 2.0 * p)) @ a**3 / (2.0 * np.maximum(info, 1e-300))
            up = score > 0
            low = np.where(up, middle, low)
            high = np.where(up, high, middle)
        estimate = 0.5 * (low + high)
        estimate[m.sum(axis=1) == 0] = np.nan
        result[start:start + rows] = estimate
    return result


# ---------------------------------------------------------------------------------------------
# Item fit


def item_fit(
    responses: ArrayLike,
    discrimination: ArrayLike,
    difficulty: ArrayLike,
    theta: ArrayLike | None = None,
) -> ItemFit:
    """Infit and outfit mean squares of every item, on the presented answers only.

    ``theta``: (n_takers,) abilities; by default Warm's WLE (:func:`wle`) on all items. (EAP
    abilities, mirt's default, are pulled towards the mean on a short test and push every mean
    square below 1.) With z = (x − P)/√(P(1 − P)):
    outfit = mean z², infit = Σ(x − P)² / ΣP(1 − P), over the takers who were presented the
    item. Flag ``misfit`` outside 0.7–1.3 (Wright & Linacre's range for multiple-choice tests);
    mean squares are not significance tests and do not grow with the sample.
    """
    matrix = as_matrix(responses, "responses")
    a, b = _params(discrimination, difficulty)
    right, missing = binary_parts(matrix)
    abilities = wle(matrix, a, b) if theta is None else np.asarray(theta, dtype=float)
    if abilities.shape != (matrix.shape[0],):
        raise ValueError("theta needs one value per taker")
    p = probability(abilities, a, b)
    shown = ~missing & np.isfinite(abilities)[:, None]
    variance = p * (1.0 - p)
    squared = np.where(shown, (right - p) ** 2, 0.0)
    count = shown.sum(axis=0).astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        outfit = np.where(shown, squared / variance, 0.0).sum(axis=0) / count
        infit = squared.sum(axis=0) / np.where(shown, variance, 0.0).sum(axis=0)
    low, high = FIT_BOUNDS
    flags = tuple(
        ("misfit",) if (i < low or i > high or o < low or o > high) else ()
        for i, o in zip(infit, outfit, strict=True)
    )
    return ItemFit(infit, outfit, count, flags)
