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
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import scipy.sparse as sparse  # type: ignore[import-untyped, unused-ignore]
from numpy.typing import ArrayLike, NDArray

from analysis._arrays import as_matrix, binary_parts

FloatArray = NDArray[np.float64]
Model = Literal["rasch", "2pl"]

CALIBRATION_NODES = 41  # rectangular quadrature on N(0, 1), nodes 0.25 apart
CALIBRATION_HALF_WIDTH = 5.0
EAP_NODES = 61
EAP_HALF_WIDTH = 6.0  # in prior SDs around the prior mean
SLOPE_PRIOR_SD = 0.5  # log a ~ N(0, 0.5²) for the 2PL: a between 0.37 and 2.7 at 95 %
INTERCEPT_PRIOR_SD = 5.0  # a·b ~ N(0, 5²): only stops an all-right item running off to infinity
SLOPE_BOUNDS = (0.05, 6.0)
INTERCEPT_BOUND = 25.0
SPARSE_SHARE = 0.35  # below this share of presented cells the products use sparse matrices
FIT_BOUNDS = (0.7, 1.3)  # infit/outfit mean square outside: "misfit" (Wright & Linacre)
SE_BLOCK_ROWS = 8192


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
# Response data: right-answer and presented indicators, dense or sparse


@dataclass(frozen=True)
class _Responses:
    right: Any  # (n, J) float64 ndarray or CSR matrix, 1 where presented and right
    presented: Any  # the same for presented, or None when every item was presented
    n_presented: NDArray[np.int64]
    n_right: NDArray[np.int64]

    def right_times(self, table: FloatArray) -> FloatArray:
        """(n, J) @ (J, Q)."""
        return np.asarray(self.right @ table)

    def presented_times(self, table: FloatArray) -> FloatArray:
        if self.presented is None:
            return np.broadcast_to(table.sum(axis=0), (self.right.shape[0], table.shape[1]))
        return np.asarray(self.presented @ table)

    def right_counts(self, posterior: FloatArray) -> FloatArray:
        """Expected right answers per item and node, (J, Q)."""
        return np.asarray(self.right.T @ posterior)

    def presented_counts(self, posterior: FloatArray) -> FloatArray:
        if self.presented is None:
            return np.broadcast_to(posterior.sum(axis=0), (self.right.shape[1], posterior.shape[1]))
        return np.asarray(self.presented.T @ posterior)

    def dense_rows(self, start: int, stop: int) -> tuple[FloatArray, FloatArray]:
        """Right and presented indicators of rows start:stop as dense float arrays."""
        right = self.right[start:stop]
        right = right.toarray() if sparse.issparse(right) else right
        if self.presented is None:
            return right, np.ones_like(right)
        presented = self.presented[start:stop]
        return right, presented.toarray() if sparse.issparse(presented) else presented


def _responses(responses: ArrayLike, name: str = "responses") -> _Responses:
    matrix = as_matrix(responses, name)
    right, missing = binary_parts(matrix)
    presented = ~missing
    keep = presented.any(axis=1)
    if not keep.all():
        right, presented = right[keep], presented[keep]
    n_presented = presented.sum(axis=0).astype(np.int64)
    n_right = right.sum(axis=0).astype(np.int64)
    share = presented.mean() if presented.size else 1.0
    if share < SPARSE_SHARE:
        # CSR for rows, and its transpose kept as CSR too: both products stay O(presented cells).
        return _Responses(
            _DualSparse(sparse.csr_matrix(right, dtype=np.float64)),
            _DualSparse(sparse.csr_matrix(presented, dtype=np.float64)),
            n_presented,
            n_right,
        )
    dense_right = right.astype(np.float64)
    dense_presented = None if presented.all() else presented.astype(np.float64)
    return _Responses(dense_right, dense_presented, n_presented, n_right)


class _DualSparse:
    """A CSR matrix with its transpose precomputed as CSR (fast ``.T @ dense``)."""

    def __init__(self, matrix: Any) -> None:
        self.matrix = matrix
        self.transposed = matrix.T.tocsr()
        self.shape: tuple[int, int] = matrix.shape

    def __matmul__(self, other: FloatArray) -> FloatArray:
        return np.asarray(self.matrix @ other)

    @property
    def T(self) -> Any:  # noqa: N802 - mirrors the ndarray attribute
        return self.transposed

    def __getitem__(self, rows: slice) -> Any:
        return self.matrix[rows]


def _log_likelihood_table(
    data: _Responses, slope: FloatArray, intercept: FloatArray, nodes: FloatArray
) -> FloatArray:
    """log P(answers | θ = node) of every taker, (n, Q)."""
    z = slope[:, None] * nodes[None, :] + intercept[:, None]
    log_right = -np.logaddexp(0.0, -z)
    log_wrong = -np.logaddexp(0.0, z)
    table = data.right_times(log_right - log_wrong)
    table += data.presented_times(log_wrong)
    return table


def _normalise(log_table: FloatArray) -> float:
    """Turn log joint densities (n, Q) into posterior weights in place; return Σ log marginal."""
    peak = log_table.max(axis=1, keepdims=True)
    log_table -= peak
    np.exp(log_table, out=log_table)
    total = log_table.sum(axis=1, keepdims=True)
    log_table /= total
    return float(np.sum(np.log(total)) + np.sum(peak))


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
    data = _responses(responses)
    n_items = data.n_presented.size
    nodes, weights = normal_quadrature(n_nodes, CALIBRATION_HALF_WIDTH)
    log_weights = np.log(weights)
    share = (data.n_right + 0.5) / (data.n_presented + 1.0)
    # Start: a = 1 and the logit of the share right widened for the spread of θ (probit
    # approximation ∫σ(θ + d)φ(θ)dθ ≈ σ(d / √(1 + π/8))).
    intercept = np.log(share / (1.0 - share)) * np.sqrt(1.0 + np.pi / 8.0)
    slope = np.ones(n_items)
    seen = data.n_presented > 0
    intercept[~seen] = 0.0
    max_change, converged, iterations = np.inf, False, 0
    while iterations < max_iterations:
        iterations += 1
        table = _log_likelihood_table(data, slope, intercept, nodes)
        table += log_weights
        _normalise(table)
        right = data.right_counts(table)
        presented = data.presented_counts(table)
        del table
        old_slope, old_difficulty = slope.copy(), -intercept / slope
        if model == "2pl":
            slope, intercept = _m_step_2pl(
                right, presented, nodes, slope, intercept, slope_prior_sd, intercept_prior_sd
            )
        else:
            slope, intercept = _m_step_rasch(right, presented, nodes, slope, intercept)
        difficulty = -intercept / slope
        change = np.concatenate([np.abs(slope - old_slope), np.abs(difficulty - old_difficulty)])
        max_change = float(change[np.concatenate([seen, seen])].max(initial=0.0))
        if max_change < tolerance:
            converged = True
            break

    table = _log_likelihood_table(data, slope, intercept, nodes)
    table += log_weights
    log_likelihood = _normalise(table)
    slope_prior = slope_prior_sd if model == "2pl" else None
    intercept_prior = intercept_prior_sd if model == "2pl" else None
    slope_se, difficulty_se = _standard_errors(
        data, table, nodes, slope, intercept, model, slope_prior, intercept_prior
    )
    slope_se[~seen] = np.nan
    difficulty_se[~seen] = np.nan
    return Calibration(
        model=model,
        discrimination=slope,
        difficulty=-intercept / slope,
        discrimination_se=slope_se,
        difficulty_se=difficulty_se,
        n_presented=data.n_presented,
        n_takers=int(data.right.shape[0]),
        log_likelihood=log_likelihood,
        iterations=iterations,
        converged=converged,
        max_change=max_change,
        seconds=time.perf_counter() - started,
    )


def _m_step_2pl(
    right: FloatArray,
    presented: FloatArray,
    nodes: FloatArray,
    slope: FloatArray,
    intercept: FloatArray,
    slope_prior_sd: float | None,
    intercept_prior_sd: float | None,
    steps: int = 2,
) -> tuple[FloatArray, FloatArray]:
    """Fisher scoring on (log a, d) of every item at once, from expected counts (J, Q)."""
    log_slope = np.log(slope)
    d = intercept.copy()
    slope_precision = 0.0 if slope_prior_sd is None else 1.0 / slope_prior_sd**2
    intercept_precision = 0.0 if intercept_prior_sd is None else 1.0 / intercept_prior_sd**2
    for _ in range(steps):
        a = np.exp(log_slope)
        p = 1.0 / (1.0 + np.exp(-(a[:, None] * nodes + d[:, None])))
        residual = right - presented * p
        weight = presented * p * (1.0 - p)
        grad_d = residual.sum(axis=1) - intercept_precision * d
        grad_s = a * (residual @ nodes) - slope_precision * log_slope
        info_dd = weight.sum(axis=1) + intercept_precision + 1e-9
        info_ss = a**2 * (weight @ nodes**2) + slope_precision + 1e-9
        info_sd = a * (weight @ nodes)
        det = info_ss * info_dd - info_sd**2
        step_s = (info_dd * grad_s - info_sd * grad_d) / det
        step_d = (info_ss * grad_d - info_sd * grad_s) / det
        log_slope += np.clip(step_s, -0.5, 0.5)
        d += np.clip(step_d, -2.0, 2.0)
        log_slope = np.clip(log_slope, *np.log(SLOPE_BOUNDS))
        d = np.clip(d, -INTERCEPT_BOUND, INTERCEPT_BOUND)
    return np.exp(log_slope), d


def _m_step_rasch(
    right: FloatArray,
    presented: FloatArray,
    nodes: FloatArray,
    slope: FloatArray,
    intercept: FloatArray,
    steps: int = 2,
) -> tuple[FloatArray, FloatArray]:
    """Scoring steps for the intercepts (each item) then the common log slope."""
    log_slope = float(np.log(slope[0]))
    d = intercept.copy()
    for _ in range(steps):
        a = np.exp(log_slope)
        p = 1.0 / (1.0 + np.exp(-(a * nodes + d[:, None])))
        info_d = (presented * p * (1.0 - p)).sum(axis=1) + 1e-9
        d += np.clip((right - presented * p).sum(axis=1) / info_d, -2.0, 2.0)
        d = np.clip(d, -INTERCEPT_BOUND, INTERCEPT_BOUND)
        p = 1.0 / (1.0 + np.exp(-(a * nodes + d[:, None])))
        grad = a * float(((right - presented * p) @ nodes).sum())
        info = a**2 * float(((presented * p * (1.0 - p)) @ nodes**2).sum()) + 1e-9
        log_slope = float(np.clip(log_slope + np.clip(grad / info, -0.5, 0.5), *np.log(SLOPE_BOUNDS)))
    return np.full_like(d, np.exp(log_slope)), d


def _standard_errors(
    data: _Responses,
    posterior: FloatArray,
    nodes: FloatArray,
    slope: FloatArray,
    intercept: FloatArray,
    model: Model,
    slope_prior_sd: float | None,
    intercept_prior_sd: float | None,
) -> tuple[FloatArray, FloatArray]:
    """SEs of a and b from the observed information (Louis), accumulated over row blocks.

    For taker n and item j (x right, m presented) the score of (a, d) at θ is m(x − P)(θ, 1)
    and the complete-data information m·P(1 − P)(θ, 1)(θ, 1)ᵀ; the observed information is the
    posterior mean of the latter minus the posterior variance of the former, summed over takers.
    """
    z = slope[:, None] * nodes + intercept[:, None]
    p = 1.0 / (1.0 + np.exp(-z))  # (J, Q)
    n_items = slope.size
    # info[k] for k = θ-power 0, 1, 2 of the item's own block; rasch adds the common slope.
    own = np.zeros((3, n_items))
    cross_slope = np.zeros(n_items)  # rasch: (common a, d_j)
    slope_slope = 0.0
    powers = [nodes**k for k in range(3)]
    p_tables = np.stack([(p * powers[k]).T for k in range(3)])  # (3, Q, J)
    p2_tables = np.stack([(p**2 * powers[k]).T for k in range(3)])
    n_rows = data.right.shape[0]
    for start in range(0, n_rows, SE_BLOCK_ROWS):
        stop = min(start + SE_BLOCK_ROWS, n_rows)
        x, m = data.dense_rows(start, stop)
        w = posterior[start:stop]
        t = [w @ powers[k] for k in range(3)]  # E[θ^k], (rows,)
        e = [w @ p_tables[k] for k in range(3)]  # E[P θ^k], (rows, J)
        f = [w @ p2_tables[k] for k in range(3)]  # E[P² θ^k]
        score = [x * t[k][:, None] - e[k] for k in range(2)]  # E[(x − P) θ^k]
        for k, (i, j) in enumerate([(0, 0), (1, 0), (1, 1)]):
            power = i + j
            complete = e[power] - f[power]
            squared = x * (t[power][:, None] - 2.0 * e[power]) + f[power]
            own[k] += np.sum(m * (complete - squared + score[i] * score[j]), axis=0)
        if model == "rasch":
            # The common slope's score is S(θ) = θ Σ_j m_j (x_j − P_j(θ)).
            s = nodes * ((x * m).sum(axis=1)[:, None] - m @ p)  # (rows, Q)
            mean_s = np.sum(w * s, axis=1)
            slope_slope += float(np.sum(m * (e[2] - f[2])))
            slope_slope -= float(np.sum(np.sum(w * s**2, axis=1) - mean_s**2))
            e_sp = (w * s) @ p.T  # E[S P_j], (rows, J)
            covariance = -(e_sp - mean_s[:, None] * e[0])  # Cov(S, x_j − P_j)
            cross_slope += np.sum(m * ((e[1] - f[1]) - covariance), axis=0)
    info_dd, info_ad, info_aa = own
    if model == "2pl":
        if intercept_prior_sd is not None:
            info_dd = info_dd + 1.0 / intercept_prior_sd**2
        if slope_prior_sd is not None:
            info_aa = info_aa + 1.0 / (slope_prior_sd * slope) ** 2
        det = info_aa * info_dd - info_ad**2
        with np.errstate(divide="ignore", invalid="ignore"):
            var_a, var_d, cov_ad = info_dd / det, info_aa / det, -info_ad / det
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = cross_slope / info_dd
            var_common = 1.0 / (slope_slope - np.nansum(cross_slope * ratio))
            var_a = np.full(n_items, var_common)
            var_d = 1.0 / info_dd + ratio**2 * var_common
            cov_ad = -ratio * var_common
    a, d = slope, intercept
    var_b = (d / a**2) ** 2 * var_a + var_d / a**2 - 2.0 * (d / a**3) * cov_ad
    return np.sqrt(np.maximum(var_a, 0.0)), np.sqrt(np.maximum(var_b, 0.0))


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
        _normalise(table)
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
    _normalise(table)
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
