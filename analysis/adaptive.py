"""Computerised adaptive testing on a calibrated item bank, and levels per competence.

The next item is a pure function of the bank, the answers stored so far and the attempt's seed:
the same inputs give the same item on any device, so an attempt can be resumed anywhere.
Abilities are on the θ scale of :mod:`analysis.irt` (N(0, 1) in the calibration population).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis.irt import Posterior, normal_quadrature, posterior

FloatArray = NDArray[np.float64]
N_LEVELS = 5
DEFAULT_SPACING = 1.0  # default difficulty: b = spacing · (level − 3)
LEVEL_NODES = 121  # a fine grid: level probabilities sum the posterior between cut scores
SELECTION_NODES = 61
StopReason = Literal["target_se", "max_items", "bank_exhausted"]


@dataclass(frozen=True)
class ItemBank:
    """Item parameters and the competence of each item, arrays of shape (n_items,)."""

    discrimination: FloatArray
    difficulty: FloatArray
    competence: NDArray[np.intp]  # 0..n_competences-1
    n_competences: int


@dataclass(frozen=True)
class AdaptiveRules:
    """How an adaptive attempt chooses items and when it stops.

    Stops at ``max_items``, or once every competence has ``min_per_competence`` items, the
    overall SE is at most ``target_se`` and (when set) every competence's SE is at most
    ``competence_target_se``. ``randomesque``: the next item is drawn at random among the
    ``randomesque`` most informative eligible items (exposure control). ``exposure =
    "progressive"`` (Revuelta & Ponsoda 1998) instead ranks items by
    (1 − k/max_items)·U·max information + (k/max_items)·information, U ~ U(0, 1) per item and
    k the items answered: the first items are nearly random, the last nearly the most
    informative; the randomesque draw is then made among the top of that ranking. ``select_at``:
    information at the overall EAP, or for each item at its competence's estimate.
    ``deviation_sd``: SD of a competence's ability around the overall ability (see
    :func:`competence_levels`). ``max_exposure``: the share of takers no item should reach;
    the caller passes :func:`analysis.exposure.sympson_hetter`'s parameters for it to
    :func:`next_item` as ``eligibility`` (Sympson–Hetter exposure control).
    """

    max_items: int = 25
    target_se: float = 0.30
    min_per_competence: int = 3
    max_per_competence: int | None = None
    competence_target_se: float | None = None
    randomesque: int = 5
    exposure: Literal["randomesque", "progressive"] = "randomesque"
    select_at: Literal["overall", "competence"] = "overall"
    deviation_sd: float = 0.5
    max_exposure: float | None = None


@dataclass(frozen=True)
class Step:
    """The next item (None when the attempt stops) and the estimate it was chosen at."""

    item: int | None
    stop_reason: StopReason | None
    theta: float
    se: float
    n_items: int


@dataclass(frozen=True)
class CompetenceLevels:
    """Per taker and competence, arrays (n_takers, n_competences) unless stated.

    ``level`` is the most probable level 1..5 and ``probability`` its posterior probability;
    ``probabilities`` (n_takers, n_competences, 5) holds all five.
    """

    theta: FloatArray
    se: FloatArray
    level: NDArray[np.int8]
    probability: FloatArray
    probabilities: FloatArray
    n_items: NDArray[np.int64]


def item_bank(
    discrimination: ArrayLike,
    difficulty: ArrayLike,
    competence: ArrayLike,
    n_competences: int | None = None,
) -> ItemBank:
    """A checked :class:`ItemBank`: equal lengths, a > 0, competence codes 0..n-1."""
    a = np.asarray(discrimination, dtype=float)
    b = np.asarray(difficulty, dtype=float)
    codes = np.asarray(competence)
    if a.ndim != 1 or a.shape != b.shape or codes.shape != a.shape:
        raise ValueError("discrimination, difficulty and competence need one value per item")
    if a.size == 0 or np.any(a <= 0) or not np.all(np.isfinite(b)):
        raise ValueError("a bank needs items with a > 0 and finite b")
    if not np.issubdtype(codes.dtype, np.integer) or codes.min() < 0:
        raise ValueError("competence must be integer codes >= 0")
    count = int(codes.max()) + 1 if n_competences is None else n_competences
    if codes.max() >= count:
        raise ValueError("a competence code is >= n_competences")
    return ItemBank(a, b, codes.astype(np.intp), count)


def default_item_parameters(
    item_level: ArrayLike, spacing: float = DEFAULT_SPACING, discrimination: float = 1.0
) -> tuple[FloatArray, FloatArray]:
    """Provisional (a, b) from the items' nominal levels 1..5, before any calibration.

    b = spacing · (level − 3): levels 1..5 at −2, −1, 0, 1, 2 by default, so a level-3 item is
    answered right by half of an average population; a = ``discrimination`` for every item.
    """
    levels = np.asarray(item_level)
    if levels.size and (levels.min() < 1 or levels.max() > N_LEVELS):
        raise ValueError("item levels must be 1..5")
    b = spacing * (levels.astype(float) - 3.0)
    return np.full(b.shape, float(discrimination)), b


def cut_scores_from_levels(
    discrimination: ArrayLike,
    difficulty: ArrayLike,
    item_level: ArrayLike,
    pass_share: float = 0.6,
) -> FloatArray:
    """Cut scores (4,) on θ into levels 2..5 that mirror the linear rule in true scores.

    The cut into level L is the θ at which a taker's expected share right on the level-L items
    reaches ``pass_share`` (the rule's pass mark), raised to the previous cut if lower, so
    cuts never decrease. Pass the items of one competence for that competence's cuts.
    """
    a = np.asarray(discrimination, dtype=float)
    b = np.asarray(difficulty, dtype=float)
    levels = np.asarray(item_level)
    cuts = np.empty(N_LEVELS - 1)
    for position, level in enumerate(range(2, N_LEVELS + 1)):
        chosen = levels == level
        if not chosen.any():
            raise ValueError(f"no item of level {level}")
        low, high = -10.0, 10.0
        for _ in range(60):  # bisection: the mean of increasing curves is increasing
            middle = 0.5 * (low + high)
            share = np.mean(1.0 / (1.0 + np.exp(-a[chosen] * (middle - b[chosen]))))
            low, high = (middle, high) if share < pass_share else (low, middle)
        cuts[position] = 0.5 * (low + high)
    return np.maximum.accumulate(cuts)


def _cut_matrix(cut_scores: ArrayLike, n_competences: int) -> FloatArray:
    cuts = np.asarray(cut_scores, dtype=float)
    cuts = np.broadcast_to(cuts, (n_competences, N_LEVELS - 1)) if cuts.ndim == 1 else cuts
    if cuts.shape != (n_competences, N_LEVELS - 1):
        raise ValueError("cut_scores must have shape (4,) or (n_competences, 4)")
    if np.any(np.diff(cuts, axis=1) < 0):
        raise ValueError("cut scores must not decrease")
    return cuts


def levels_for(theta: ArrayLike, cut_scores: ArrayLike) -> NDArray[np.int8]:
    """Level 1..5 of abilities ``theta`` (..., n_competences) by cut scores (4,) or
    (n_competences, 4); θ equal to a cut is in the higher level."""
    t = np.asarray(theta, dtype=float)
    cuts = np.asarray(cut_scores, dtype=float)
    result: NDArray[np.int8] = (1 + (t[..., None] >= cuts).sum(axis=-1)).astype(np.int8)
    return result


def competence_levels(
    responses: ArrayLike,
    bank: ItemBank,
    cut_scores: ArrayLike,
    deviation_sd: float = 0.5,
) -> CompetenceLevels:
    """Ability, SE and level 1..5 per taker and competence, with how sure the level is.

    ``responses``: (n_takers, n_items) of 1.0 / 0.0 / nan (nan = not presented).
    ``cut_scores``: (4,) or (n_competences, 4), the θ where levels 2..5 begin.
    A unidimensional bank says little about one competence from its three or four items, so
    each competence borrows strength from the rest of the test: its prior is centred on the EAP
    θ from the *other* competences' items (m, posterior SD s, population prior N(0, 1)), with
    SD √(s² + deviation_sd²), deviation_sd being how far a person's competence may sit from
    their overall ability (0.5: competences correlating about 0.8). Leaving the competence's own
    items out of the prior counts them once. The posterior on the competence's items is computed
    on a fine grid; the level is its most probable band between the cut scores, and
    ``probability`` the posterior mass of that band.
    """
    matrix = np.atleast_2d(np.asarray(responses, dtype=float))
    n = matrix.shape[0]
    cuts = _cut_matrix(cut_scores, bank.n_competences)
    shape = (n, bank.n_competences)
    theta, se = np.zeros(shape), np.zeros(shape)
    probabilities = np.zeros((*shape, N_LEVELS))
    counts = np.zeros(shape, dtype=np.int64)
    for c, post in enumerate(_competence_posteriors(matrix, bank, deviation_sd)):
        estimate = post.ability()
        theta[:, c], se[:, c] = estimate.theta, estimate.se
        probabilities[:, c] = _band_probabilities(post, cuts[c])
        counts[:, c] = np.sum(~np.isnan(matrix[:, bank.competence == c]), axis=1)
    level = (np.argmax(probabilities, axis=2) + 1).astype(np.int8)
    probability = np.take_along_axis(probabilities, level[..., None].astype(np.intp) - 1, axis=2)
    return CompetenceLevels(theta, se, level, probability[..., 0], probabilities, counts)


def _competence_posteriors(
    matrix: FloatArray, bank: ItemBank, deviation_sd: float, n_nodes: int = LEVEL_NODES
) -> list[Posterior]:
    """Posterior of each competence's θ (see :func:`competence_levels`), one per competence."""
    if deviation_sd <= 0:
        raise ValueError("deviation_sd must be positive")
    result = []
    for c in range(bank.n_competences):
        own = bank.competence == c
        rest = posterior(matrix, bank.discrimination, bank.difficulty, items=~own).ability()
        result.append(
            posterior(
                matrix,
                bank.discrimination,
                bank.difficulty,
                items=own,
                prior_mean=rest.theta,
                prior_sd=np.sqrt(rest.se**2 + deviation_sd**2),
                n_nodes=n_nodes,
            )
        )
    return result


def _band_probabilities(post: Posterior, cuts: FloatArray) -> FloatArray:
    """Posterior mass in each level band, (n_takers, 5)."""
    nodes = np.broadcast_to(post.nodes, post.weights.shape)
    band = np.searchsorted(cuts, nodes, side="right")  # 0..4
    result = np.zeros((post.weights.shape[0], N_LEVELS))
    for level in range(N_LEVELS):
        result[:, level] = np.sum(np.where(band == level, post.weights, 0.0), axis=1)
    return result


def _one_taker(bank: ItemBank, administered: Sequence[int], correct: Sequence[float]) -> FloatArray:
    items = np.asarray(administered, dtype=np.intp)
    answers = np.asarray(correct, dtype=float)
    if items.shape != answers.shape or items.ndim != 1:
        raise ValueError("administered and correct need one entry per answered item")
    if items.size and (items.min() < 0 or items.max() >= bank.difficulty.size):
        raise ValueError("an administered item is not in the bank")
    if np.unique(items).size != items.size:
        raise ValueError("an item was administered twice")
    if not np.all((answers == 0) | (answers == 1)):
        raise ValueError("answers must be 1 (right) or 0 (wrong)")
    row = np.full((1, bank.difficulty.size), np.nan)
    row[0, items] = answers
    return row


def _eap_one(
    a: FloatArray, b: FloatArray, answers: FloatArray, mean: float = 0.0, sd: float = 1.0
) -> tuple[float, float]:
    """EAP θ and posterior SD of one taker on a few items, prior N(mean, sd²).

    The same grid and prior as :func:`analysis.irt.posterior` with SELECTION_NODES nodes,
    written for one short answer vector (the selection runs at every step)."""
    standard, weights = normal_quadrature(SELECTION_NODES, 6.0)
    nodes = mean + sd * standard
    z = a[:, None] * (nodes - b[:, None])
    sign = np.where(answers[:, None] == 1, -1.0, 1.0)
    log_post = np.log(weights) - np.logaddexp(0.0, sign * z).sum(axis=0)
    log_post -= log_post.max()
    w = np.exp(log_post)
    w /= w.sum()
    estimate = float(w @ nodes)
    return estimate, float(np.sqrt(max(float(w @ nodes**2) - estimate**2, 0.0)))


def _competence_estimates_one(
    bank: ItemBank, items: NDArray[np.intp], answers: FloatArray, deviation_sd: float
) -> tuple[FloatArray, FloatArray]:
    """θ and SE of each competence for one taker, as in :func:`competence_levels`."""
    theta, se = np.zeros(bank.n_competences), np.zeros(bank.n_competences)
    a, b, codes = bank.discrimination[items], bank.difficulty[items], bank.competence[items]
    for c in range(bank.n_competences):
        own = codes == c
        mean, spread = _eap_one(a[~own], b[~own], answers[~own])
        theta[c], se[c] = _eap_one(
            a[own], b[own], answers[own], mean, float(np.hypot(spread, deviation_sd))
        )
    return theta, se


def next_item(
    bank: ItemBank,
    administered: Sequence[int],
    correct: Sequence[float],
    seed: int,
    rules: AdaptiveRules | None = None,
    eligibility: ArrayLike | None = None,
) -> Step:
    """The next item of an adaptive attempt, or None with the reason it stops.

    ``administered``: bank indices in the order shown; ``correct``: 1 / 0 for each. ``seed``:
    the attempt's stored seed. The random draw among the most informative items uses a
    generator seeded by (seed, number of items answered), and ties in information are broken by
    bank order, so the result depends on nothing but the arguments.

    Content balancing: the next item's competence is drawn among the open competences with the
    fewest items so far (so competences take turns and every one reaches
    ``min_per_competence`` before the test may stop); a competence at ``max_per_competence``
    is closed; once the overall SE is reached, only competences whose SE is above
    ``competence_target_se`` stay open. The item is then drawn among the ``randomesque`` most
    informative unused items of that competence. ``eligibility`` (n_items,), each item's
    probability of being usable in this attempt (:func:`analysis.exposure.sympson_hetter`):
    which items are usable is drawn once from the seed alone, the same at every step; when the
    competence has fewer usable items than the draw needs, all its unused items are. Raises
    ValueError for a negative seed or inconsistent answers.
    """
    rules = AdaptiveRules() if rules is None else rules
    if seed < 0:
        raise ValueError("seed must be >= 0")
    row = _one_taker(bank, administered, correct)
    items = np.asarray(administered, dtype=np.intp)
    answers = row[0, items]
    theta, se = _eap_one(bank.discrimination[items], bank.difficulty[items], answers)
    n_items = int(items.size)
    per_competence = np.bincount(bank.competence[items], minlength=bank.n_competences)

    def step(item: int | None, reason: StopReason | None) -> Step:
        return Step(item, reason, theta, se, n_items)

    if n_items >= rules.max_items:
        return step(None, "max_items")
    short = per_competence < rules.min_per_competence
    need_competence = rules.competence_target_se is not None or rules.select_at == "competence"
    competence_theta = np.full(bank.n_competences, theta)
    behind = np.zeros(bank.n_competences, dtype=bool)
    if need_competence:
        competence_theta, competence_se = _competence_estimates_one(
            bank, items, answers, rules.deviation_sd
        )
        if rules.competence_target_se is not None:
            behind = competence_se > rules.competence_target_se
    if not short.any() and se <= rules.target_se and not behind.any():
        return step(None, "target_se")

    open_competence = np.ones(bank.n_competences, dtype=bool)
    if rules.max_per_competence is not None:
        open_competence &= per_competence < rules.max_per_competence
    if not short.any() and se <= rules.target_se and behind.any():
        open_competence &= behind
    remaining = np.ones(bank.difficulty.size, dtype=bool)
    remaining[items] = False
    open_competence &= np.bincount(bank.competence[remaining], minlength=bank.n_competences) > 0
    if not open_competence.any():
        return step(None, "bank_exhausted")
    # The competence first (the fewest items so far, ties drawn at random), then the item:
    # drawing among the top items of one competence spreads exposure over that competence.
    generator = np.random.default_rng([seed, n_items])
    fewest = np.flatnonzero(open_competence & (per_competence == per_competence[open_competence].min()))
    chosen = int(fewest[generator.integers(fewest.size)])
    eligible = remaining & (bank.competence == chosen)
    if eligibility is not None:
        usable = eligible & (_usable(seed, eligibility, bank.difficulty.size))
        eligible = usable if usable.sum() >= max(rules.randomesque, 1) else eligible
    at = competence_theta[bank.competence] if rules.select_at == "competence" else theta
    a, b = bank.discrimination, bank.difficulty
    p = 1.0 / (1.0 + np.exp(-a * (at - b)))
    information = a**2 * p * (1.0 - p)
    if rules.exposure == "progressive":
        progress = n_items / rules.max_items
        noise = generator.random(information.size) * information[eligible].max()
        information = (1.0 - progress) * noise + progress * information
    information = np.where(eligible, information, -np.inf)
    order = np.argsort(-information, kind="stable")
    top = order[: min(max(rules.randomesque, 1), int(eligible.sum()))]
    return step(int(top[generator.integers(top.size)]), None)


def _usable(seed: int, eligibility: ArrayLike, n_items: int) -> NDArray[np.bool_]:
    """The items an attempt may use, drawn from its seed alone (the same at every step)."""
    k = np.asarray(eligibility, dtype=float)
    if k.shape != (n_items,) or np.any((k < 0) | (k > 1)):
        raise ValueError("eligibility needs one probability in [0, 1] per item")
    usable: NDArray[np.bool_] = np.random.default_rng([seed, 2**31 + 1]).random(n_items) < k
    return usable
