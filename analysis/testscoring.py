"""Test scoring: one item right or wrong, then a proficiency level 1–5 per competence.

(Named ``tests`` after what it scores; pytest only collects ``test_*.py`` files.)
"""

from __future__ import annotations

from collections.abc import Collection
from typing import cast

import numpy as np
from numpy.typing import ArrayLike, NDArray

from analysis._arrays import as_matrix, binary_parts, row_counts

N_LEVELS = 5
ITEM_TYPES = ("single", "multiple", "true_false")


def _as_bool(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return None


def score_item(
    item_type: str,
    key: str | bool | Collection[str],
    chosen: str | bool | Collection[str] | None,
    multiple_choice: str = "all_or_nothing",
) -> bool:
    """Whether one answer to one test item is right.

    * ``single``: ``key`` is an option id; right when exactly that option is chosen.
    * ``multiple``: ``key`` is a collection of option ids; all-or-nothing (the only rule of
      ``proficiency_rule.multiple_choice``): right when the chosen set equals the key set.
    * ``true_false``: ``key`` is a bool; ``chosen`` a bool or "true"/"false".

    ``chosen`` is an option id, a collection of option ids, a bool, or None / empty for no
    answer (which is wrong). Raises ValueError for an unknown type or rule.
    """
    if multiple_choice != "all_or_nothing":
        raise ValueError(f"unknown multiple-choice rule {multiple_choice!r}")
    if item_type not in ITEM_TYPES:
        raise ValueError(f"unknown item type {item_type!r}")
    if chosen is None:
        return False
    if item_type == "true_false":
        if isinstance(chosen, Collection) and not isinstance(chosen, str):
            chosen = next(iter(chosen)) if len(chosen) == 1 else None
        answer, expected = _as_bool(chosen), _as_bool(key)
        if expected is None:
            raise ValueError("a true_false key must be true or false")
        return answer is not None and answer == expected
    chosen_set = {chosen} if isinstance(chosen, str) else set(cast(Collection[str], chosen))
    if item_type == "single":
        if not isinstance(key, str):
            raise ValueError("a single-choice key must be one option id")
        return chosen_set == {key}
    if isinstance(key, str | bool) or not key:
        raise ValueError("a multiple-choice key must be a non-empty collection of option ids")
    return chosen_set == set(key)


def proficiency_levels(
    correct: ArrayLike,
    item_competence: ArrayLike,
    item_level: ArrayLike,
    n_competences: int | None = None,
    pass_share: float = 0.6,
    taken: ArrayLike | None = None,
    presented: ArrayLike | None = None,
) -> NDArray[np.int8]:
    """Measured level 1..5 per person and competence, int8 array (n, n_competences).

    ``correct``: float (n, n_items) of 1.0 / 0.0 / nan; in a finished attempt an unanswered
    item (nan) counts as wrong. ``item_competence``: int (n_items,), competence index.
    ``item_level``: int (n_items,), 1..5. ``taken``: bool (n,), whether the person finished
    the test; by default, whether the row has any answer. ``presented``: bool (n, n_items),
    whether the person was shown the item (default: every item); an item not presented neither
    passes nor blocks its level, so a person shown only a linear form's items is scored on them
    exactly as if the test held nothing else.

    Rule (maturity model): a level is passed when the share of its items answered right is at
    least ``pass_share``. The measured level is the highest level L that has items such that
    every level 1..L that has items is passed; no such level gives 1 (initial). Levels without
    items neither pass nor block, and the level cannot exceed the highest level the test asks
    about (a test cannot show a level it has no items for).
    Returns 0 where there is nothing to measure: a person who did not take the test, or a
    competence without items (presented to that person).
    """
    matrix = as_matrix(correct, "correct")
    right_answer, missing = binary_parts(matrix)
    competence = np.asarray(item_competence)
    level = np.asarray(item_level)
    n, n_items = matrix.shape
    if competence.shape != (n_items,) or level.shape != (n_items,):
        raise ValueError("item_competence and item_level need one entry per item")
    if level.size and (level.min() < 1 or level.max() > N_LEVELS):
        raise ValueError("item levels must be 1..5")
    if competence.size and competence.min() < 0:
        raise ValueError("competence indices must be >= 0")
    if not 0 < pass_share <= 1:
        raise ValueError("pass_share must be in (0, 1]")
    n_competences = int(competence.max()) + 1 if n_competences is None else n_competences
    took = row_counts(missing) < n_items if taken is None else np.asarray(taken, dtype=bool)

    shown = (np.ones((n, n_items), dtype=bool) if presented is None
             else np.asarray(presented, dtype=bool))
    if shown.shape != (n, n_items):
        raise ValueError("presented needs the shape of correct")

    cells = competence * N_LEVELS + (level - 1)
    membership = np.zeros((n_items, n_competences * N_LEVELS), dtype=np.float32)
    membership[np.arange(n_items), cells] = 1.0
    # float32 counts are exact for whole numbers far beyond any test length.
    items_per_cell = shown.astype(np.float32) @ membership  # (n, cells): items each person saw
    right = (right_answer & shown).astype(np.float32) @ membership  # unanswered = wrong
    has_items = (items_per_cell > 0).reshape(n, n_competences, N_LEVELS)
    passed = (right >= pass_share * items_per_cell - 1e-6).reshape(n, n_competences, N_LEVELS)
    # Walk up the levels on (n, n_competences) slices: a level with items is reached while
    # every level with items up to it is passed; levels without items are skipped.
    levels = np.ones((n, n_competences), dtype=np.int8)
    cleared = np.ones((n, n_competences), dtype=bool)
    for lv in range(N_LEVELS):
        asked = has_items[:, :, lv]
        if not asked.any():
            continue
        cleared &= passed[:, :, lv] | ~asked
        levels[cleared & asked] = lv + 1
    levels[~has_items.any(axis=2)] = 0
    levels[~took] = 0
    return levels
