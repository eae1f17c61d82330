"""Verdict codes of comparisons (significance and effect-size magnitude) and Holm's correction.

See :mod:`analysis.compare` for the tests whose results these codes describe.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

SIGNIFICANCE = 0.05
MAGNITUDES = ((0.474, "large"), (0.33, "moderate"), (0.147, "small"), (0.0, "negligible"))
OMNIBUS_MAGNITUDES = ((0.14, "large"), (0.06, "moderate"), (0.01, "small"), (0.0, "negligible"))


def verdict(p: float, effect: float, kind: str = "waves", higher_is_better: bool = True) -> str:
    """Verdict code from a p-value and a rank-biserial effect (see the module docstring).

    ``kind``: "waves" (improvement/decline) or "groups" (difference).
    """
    if not (np.isfinite(p) and np.isfinite(effect)):
        return "insufficient_data"
    if p >= SIGNIFICANCE:
        return "no_difference"
    magnitude = next(name for bound, name in MAGNITUDES if abs(effect) >= bound)
    if kind == "groups":
        return f"{magnitude}_difference"
    better = (effect > 0) == higher_is_better
    return f"{magnitude}_{'improvement' if better else 'decline'}"


def omnibus_verdict(p: float, epsilon_squared: float) -> str:
    """Verdict code of a Kruskal–Wallis test: ``no_difference`` when p ≥ 0.05, otherwise
    ``<magnitude>_difference`` with epsilon² read on Cohen's eta² conventions: negligible
    < 0.01 ≤ small < 0.06 ≤ moderate < 0.14 ≤ large."""
    if not (np.isfinite(p) and np.isfinite(epsilon_squared)):
        return "insufficient_data"
    if p >= SIGNIFICANCE:
        return "no_difference"
    magnitude = next(name for bound, name in OMNIBUS_MAGNITUDES if epsilon_squared >= bound)
    return f"{magnitude}_difference"


def holm(p: ArrayLike) -> NDArray[np.float64]:
    """Holm–Bonferroni adjusted p-values (nan entries are not counted as tests)."""
    values = np.asarray(p, dtype=float)
    adjusted = np.full(values.shape, np.nan)
    valid = np.flatnonzero(np.isfinite(values))
    m = valid.size
    if m == 0:
        return adjusted
    order = valid[np.argsort(values[valid], kind="stable")]
    scaled = values[order] * (m - np.arange(m))
    adjusted[order] = np.minimum(np.maximum.accumulate(scaled), 1.0)
    return adjusted


def normal_p(z: NDArray[np.float64]) -> NDArray[np.float64]:
    """Two-sided p-values of z statistics under the standard normal."""
    return np.minimum(2 * stats.norm.sf(np.abs(z)), 1.0)
