"""Sympson–Hetter exposure parameters for the adaptive test, from a simulation of the bank.

An item's parameter k (0..1) is the probability that it is *eligible* in an attempt: each
attempt draws, once and from its own seed, which items it may use (see
:func:`analysis.adaptive.next_item`, ``eligibility``), so an item that maximum information
would pick for nearly everyone is kept out of most attempts, and each attempt still takes the
most informative of the items it may use. The parameters are found as Sympson & Hetter (1985)
find them, by repeating a simulation of the test until no item is shown to more than
``rules.max_exposure`` of the simulated takers: after each round k ← k·target/exposure for an
item over the target, and k ← min(1, k·√(target/exposure)) for one under it (back towards 1). The simulation is
seeded, so the same bank and rules always give the same parameters, and the next item stays a
pure function of the bank, the stored answers and the attempt's seed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from analysis.adaptive import SELECTION_NODES, AdaptiveRules, ItemBank
from analysis.irt import normal_quadrature

FloatArray = NDArray[np.float64]


def sympson_hetter(
    bank: ItemBank,
    rules: AdaptiveRules,
    n_takers: int = 1000,
    rounds: int = 12,
    seed: int = 0,
) -> FloatArray:
    """Eligibility probability of every item (n_items,) keeping exposure under the target.

    The simulated takers have θ ~ N(0, 1), the population the bank is calibrated on, and answer
    by the bank's own parameters; the test runs as :func:`analysis.adaptive.next_item` runs it
    with the randomesque ranking (competence with the fewest items, the ``randomesque`` most
    informative eligible items, stop at ``target_se`` after every minimum or at ``max_items``).
    The target is ``rules.max_exposure`` less a margin of two binomial standard errors of the
    simulation, so sampling noise does not carry items over it.
    """
    if rules.max_exposure is None or not 0 < rules.max_exposure <= 1:
        raise ValueError("rules.max_exposure must be in (0, 1]")
    if rules.exposure != "randomesque":
        raise ValueError("exposure parameters are simulated for the randomesque ranking")
    if n_takers < 10 or rounds < 1:
        raise ValueError("at least 10 simulated takers and one round are needed")
    margin = 2.0 * np.sqrt(rules.max_exposure * (1 - rules.max_exposure) / n_takers)
    target = max(rules.max_exposure - margin, 0.5 * rules.max_exposure)
    generator = np.random.default_rng(seed)
    eligibility = np.ones(bank.difficulty.size)
    for _ in range(rounds):
        exposure = _simulated_exposure(bank, rules, eligibility, n_takers, generator)
        ratio = target / np.maximum(exposure, 0.01 * target)
        eligibility = np.minimum(1.0, eligibility * np.where(ratio < 1, ratio, np.sqrt(ratio)))
    return eligibility


def _simulated_exposure(
    bank: ItemBank,
    rules: AdaptiveRules,
    eligibility: FloatArray,
    n: int,
    generator: np.random.Generator,
) -> FloatArray:
    """Share of ``n`` simulated takers shown each item, all takers stepping together."""
    a, b, codes = bank.discrimination, bank.difficulty, bank.competence
    n_items, n_competences = b.size, bank.n_competences
    nodes, weights = normal_quadrature(SELECTION_NODES, 6.0)
    p_nodes = 1.0 / (1.0 + np.exp(-a * (nodes[:, None] - b)))  # (nodes, items)
    log_right, log_wrong = np.log(p_nodes), np.log1p(-p_nodes)
    # Items of each competence, padded with n_items (a column that is never a candidate).
    size = np.bincount(codes, minlength=n_competences)
    members = np.full((n_competences, int(size.max())), n_items, dtype=np.intp)
    for c in range(n_competences):
        members[c, : size[c]] = np.flatnonzero(codes == c)
    a_pad, b_pad = np.append(a, 1.0), np.append(b, 0.0)
    theta = generator.standard_normal(n)
    allowed = np.append(generator.random((n, n_items)) < eligibility, np.zeros((n, 1), bool), 1)
    unused = np.ones((n, n_items + 1), dtype=bool)
    unused[:, n_items] = False
    per = np.zeros((n, n_competences), dtype=np.int64)
    log_post = np.tile(np.log(weights), (n, 1))
    active = np.ones(n, dtype=bool)
    rows = np.arange(n)
    width = max(rules.randomesque, 1)
    for _ in range(min(rules.max_items, n_items)):
        post = np.exp(log_post - log_post.max(axis=1, keepdims=True))
        post /= post.sum(axis=1, keepdims=True)
        estimate = post @ nodes
        se = np.sqrt(np.maximum(post @ nodes**2 - estimate**2, 0.0))
        done = ~(per < rules.min_per_competence).any(axis=1) & (se <= rules.target_se)
        active &= ~done
        open_ = per < size
        if rules.max_per_competence is not None:
            open_ &= per < rules.max_per_competence
        active &= open_.any(axis=1)
        if not active.any():
            break
        fewest = np.where(open_, per, np.iinfo(np.int64).max).min(axis=1)
        tied = open_ & (per == fewest[:, None])
        chosen = np.argmax(generator.random((n, n_competences)) * tied, axis=1)
        column = members[chosen]  # (n, largest competence)
        candidates = np.take_along_axis(unused, column, 1)
        filtered = candidates & np.take_along_axis(allowed, column, 1)
        use = filtered.sum(axis=1) >= width
        candidates = np.where(use[:, None], filtered, candidates)
        ac, bc = a_pad[column], b_pad[column]
        p = 1.0 / (1.0 + np.exp(-ac * (estimate[:, None] - bc)))
        score = np.where(candidates, ac**2 * p * (1.0 - p), -np.inf)
        if width == 1:
            top = np.argmax(score, axis=1)[:, None]
        else:
            top = np.argsort(-score, axis=1, kind="stable")[:, :width]
        count = np.minimum(width, candidates.sum(axis=1))
        item = column[rows, top[rows, (generator.random(n) * count).astype(np.intp)]]
        mover = rows[active]
        unused[mover, item[mover]] = False
        per[mover, codes[item[mover]]] += 1
        true_p = 1.0 / (1.0 + np.exp(-a[item] * (theta - b[item])))
        right = generator.random(n) < true_p
        update = np.where(right[:, None], log_right[:, item].T, log_wrong[:, item].T)
        log_post[mover] += update[mover]
    shown = ~unused[:, :n_items]
    result: FloatArray = shown.mean(axis=0)
    return result
