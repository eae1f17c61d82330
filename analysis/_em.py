"""Marginal maximum likelihood by EM and the standard errors of the estimates: the internals of
:func:`analysis.irt.calibrate` (private).

The EM algorithm is Bock & Aitkin's (1981) on a fixed quadrature grid; the standard errors are
the inverse of the observed information (Louis 1982). Responses come in as right / presented
indicators (n_takers, n_items): dense float arrays, or CSR matrices with their transposes kept
when few cells are presented, so that every product stays O(presented cells). Items are fitted
on (log a, d), d = −a·b the intercept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import scipy.sparse as sparse
from numpy.typing import ArrayLike, NDArray

from analysis._arrays import as_matrix, binary_parts

FloatArray = NDArray[np.float64]
Model = Literal["rasch", "2pl"]

SLOPE_BOUNDS = (0.05, 6.0)
INTERCEPT_BOUND = 25.0
SE_BLOCK_ROWS = 8192


# ---------------------------------------------------------------------------------------------
# Response data: right-answer and presented indicators, dense or sparse


class SparseIndicators:
    """A CSR matrix of 0/1 indicators with its transpose precomputed as CSR (fast ``.T @ dense``)."""

    def __init__(self, indicators: NDArray[np.bool_]) -> None:
        self.matrix = sparse.csr_matrix(indicators, dtype=np.float64)
        self.transposed = self.matrix.T.tocsr()
        self.shape: tuple[int, int] = self.matrix.shape

    def times(self, table: FloatArray) -> FloatArray:
        """(n, J) @ (J, Q)."""
        return np.asarray(self.matrix @ table)

    def transposed_times(self, table: FloatArray) -> FloatArray:
        """(J, n) @ (n, Q)."""
        return np.asarray(self.transposed @ table)

    def dense_rows(self, start: int, stop: int) -> FloatArray:
        """Rows start:stop as a dense float array."""
        return self.matrix[start:stop].toarray()


Indicators = FloatArray | SparseIndicators


def _times(matrix: Indicators, table: FloatArray) -> FloatArray:
    if isinstance(matrix, SparseIndicators):
        return matrix.times(table)
    return np.asarray(matrix @ table)


def _transposed_times(matrix: Indicators, table: FloatArray) -> FloatArray:
    if isinstance(matrix, SparseIndicators):
        return matrix.transposed_times(table)
    return np.asarray(matrix.T @ table)


def _dense_rows(matrix: Indicators, start: int, stop: int) -> FloatArray:
    if isinstance(matrix, SparseIndicators):
        return matrix.dense_rows(start, stop)
    return matrix[start:stop]


@dataclass(frozen=True)
class Responses:
    right: Indicators  # (n, J), 1 where presented and right
    presented: Indicators | None  # the same for presented, or None when every item was presented
    n_presented: NDArray[np.int64]
    n_right: NDArray[np.int64]

    def right_times(self, table: FloatArray) -> FloatArray:
        """(n, J) @ (J, Q)."""
        return _times(self.right, table)

    def presented_times(self, table: FloatArray) -> FloatArray:
        if self.presented is None:
            return np.broadcast_to(table.sum(axis=0), (self.right.shape[0], table.shape[1]))
        return _times(self.presented, table)

    def right_counts(self, posterior: FloatArray) -> FloatArray:
        """Expected right answers per item and node, (J, Q)."""
        return _transposed_times(self.right, posterior)

    def presented_counts(self, posterior: FloatArray) -> FloatArray:
        if self.presented is None:
            return np.broadcast_to(posterior.sum(axis=0), (self.right.shape[1], posterior.shape[1]))
        return _transposed_times(self.presented, posterior)

    def dense_rows(self, start: int, stop: int) -> tuple[FloatArray, FloatArray]:
        """Right and presented indicators of rows start:stop as dense float arrays."""
        right = _dense_rows(self.right, start, stop)
        if self.presented is None:
            return right, np.ones_like(right)
        return right, _dense_rows(self.presented, start, stop)


def response_data(responses: ArrayLike, sparse_below: float, name: str = "responses") -> Responses:
    """Indicators of ``responses`` (1.0 / 0.0 / nan) without the takers who were presented
    nothing; sparse when fewer than ``sparse_below`` of the cells are presented."""
    matrix = as_matrix(responses, name)
    right, missing = binary_parts(matrix)
    presented = ~missing
    keep = presented.any(axis=1)
    if not keep.all():
        right, presented = right[keep], presented[keep]
    n_presented = presented.sum(axis=0).astype(np.int64)
    n_right = right.sum(axis=0).astype(np.int64)
    share = presented.mean() if presented.size else 1.0
    if share < sparse_below:
        # CSR for rows, and its transpose kept as CSR too: both products stay O(presented cells).
        return Responses(SparseIndicators(right), SparseIndicators(presented), n_presented, n_right)
    dense_right = right.astype(np.float64)
    dense_presented = None if presented.all() else presented.astype(np.float64)
    return Responses(dense_right, dense_presented, n_presented, n_right)


def log_likelihood_table(
    data: Responses, slope: FloatArray, intercept: FloatArray, nodes: FloatArray
) -> FloatArray:
    """log P(answers | θ = node) of every taker, (n, Q)."""
    z = slope[:, None] * nodes[None, :] + intercept[:, None]
    log_right = -np.logaddexp(0.0, -z)
    log_wrong = -np.logaddexp(0.0, z)
    table = data.right_times(log_right - log_wrong)
    table += data.presented_times(log_wrong)
    return table


def normalise(log_table: FloatArray) -> float:
    """Turn log joint densities (n, Q) into posterior weights in place; return Σ log marginal."""
    peak = log_table.max(axis=1, keepdims=True)
    log_table -= peak
    np.exp(log_table, out=log_table)
    total = log_table.sum(axis=1, keepdims=True)
    log_table /= total
    return float(np.sum(np.log(total)) + np.sum(peak))


# ---------------------------------------------------------------------------------------------
# EM


@dataclass(frozen=True)
class EmFit:
    """Slopes a, intercepts d = −a·b and the SEs of a and b (n_items,), nan SEs for items nobody
    was presented; the marginal log-likelihood (priors left out) and how the EM ended."""

    slope: FloatArray
    intercept: FloatArray
    slope_se: FloatArray
    difficulty_se: FloatArray
    log_likelihood: float
    iterations: int
    converged: bool
    max_change: float


def run_em(
    data: Responses,
    model: Model,
    nodes: FloatArray,
    log_weights: FloatArray,
    max_iterations: int,
    tolerance: float,
    slope_prior_sd: float | None,
    intercept_prior_sd: float | None,
) -> EmFit:
    """EM cycles on the quadrature ``nodes`` (log prior weights ``log_weights``) until no a or b
    moves by more than ``tolerance``, then the standard errors; see :func:`analysis.irt.calibrate`."""
    n_items = data.n_presented.size
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
        table = log_likelihood_table(data, slope, intercept, nodes)
        table += log_weights
        normalise(table)
        right = data.right_counts(table)
        presented = data.presented_counts(table)
        del table
        old_slope, old_difficulty = slope.copy(), -intercept / slope
        if model == "2pl":
            slope, intercept = m_step_2pl(
                right, presented, nodes, slope, intercept, slope_prior_sd, intercept_prior_sd
            )
        else:
            slope, intercept = m_step_rasch(right, presented, nodes, slope, intercept)
        difficulty = -intercept / slope
        change = np.concatenate([np.abs(slope - old_slope), np.abs(difficulty - old_difficulty)])
        max_change = float(change[np.concatenate([seen, seen])].max(initial=0.0))
        if max_change < tolerance:
            converged = True
            break

    table = log_likelihood_table(data, slope, intercept, nodes)
    table += log_weights
    log_likelihood = normalise(table)
    slope_prior = slope_prior_sd if model == "2pl" else None
    intercept_prior = intercept_prior_sd if model == "2pl" else None
    slope_se, difficulty_se = standard_errors(
        data, table, nodes, slope, intercept, model, slope_prior, intercept_prior
    )
    slope_se[~seen] = np.nan
    difficulty_se[~seen] = np.nan
    return EmFit(
        slope=slope,
        intercept=intercept,
        slope_se=slope_se,
        difficulty_se=difficulty_se,
        log_likelihood=log_likelihood,
        iterations=iterations,
        converged=converged,
        max_change=max_change,
    )


def m_step_2pl(
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


def m_step_rasch(
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


def standard_errors(
    data: Responses,
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
