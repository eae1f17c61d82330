"""Training needs: which catalogue courses lead a person from the measured level of a
competence to the level their role requires. One rule, used by the personal result and the
trainer's plan alike.

Chaining: from level m, the course of that competence with ``level_from <= m < level_to``
that reaches highest (fewer hours on a tie, then catalogue order), then on from its
``level_to`` until the requirement is met or the catalogue has no course. A person needs a
course once even when it serves several of their competences.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import ArrayLike, NDArray


class CourseSpec(Protocol):
    """What the rule needs of a catalogue course; ``competences`` are competence indices."""

    @property
    def competences(self) -> tuple[int, ...]: ...

    @property
    def level_from(self) -> int: ...

    @property
    def level_to(self) -> int: ...

    @property
    def hours(self) -> int: ...


def course_chain(courses: Sequence[CourseSpec], competence: int, start: int,
                 target: int) -> list[int]:
    """Indices of the courses leading ``competence`` from level ``start`` towards ``target``
    (possibly stopping short when the catalogue has no next course)."""
    chain: list[int] = []
    level = start
    while level < target:
        fitting = [i for i, c in enumerate(courses)
                   if competence in c.competences and c.level_from <= level < c.level_to]
        if not fitting:
            break
        best = max(fitting, key=lambda i: (courses[i].level_to, -courses[i].hours, -i))
        chain.append(best)
        level = courses[best].level_to
    return chain


@dataclass(frozen=True)
class CourseNeeds:
    """``need``: bool (n, n_courses), person i needs course j. ``steps``: float (n_courses,),
    level steps each course closes over everyone (gap × headcount, per course).
    ``uncovered``: int (n,), competences of each person that no chain of courses brings up to
    the requirement. ``person_steps``: float (n, n_courses), the steps each person's need of
    each course closes (``steps`` is its column sum) — for released sums over groups."""

    need: NDArray[np.bool_]
    steps: NDArray[np.float64]
    uncovered: NDArray[np.int64]
    person_steps: NDArray[np.float64] | None = None


def course_needs(courses: Sequence[CourseSpec], levels: ArrayLike,
                 required: ArrayLike) -> CourseNeeds:
    """The courses every person needs.

    ``levels``: int (n, n_competences), measured levels, 0 = not measured (no need).
    ``required``: int (n, n_competences), each person's required levels, 0 = not required.
    """
    measured = np.asarray(levels, dtype=np.int64)
    needs = np.asarray(required, dtype=np.int64)
    if measured.shape != needs.shape or measured.ndim != 2:
        raise ValueError("levels and required must both be (n, n_competences)")
    n, n_comp = measured.shape
    need = np.zeros((n, len(courses)), dtype=bool)
    person_steps = np.zeros((n, len(courses)))
    uncovered = np.zeros(n, dtype=np.int64)
    for c in range(n_comp):
        below = (measured[:, c] > 0) & (needs[:, c] > measured[:, c])
        if not below.any():
            continue
        people = np.flatnonzero(below)
        pairs = np.stack([measured[people, c], needs[people, c]], axis=1)
        for start, target in sorted({(int(a), int(b)) for a, b in pairs.tolist()}):
            who = people[(pairs[:, 0] == start) & (pairs[:, 1] == target)]
            chain = course_chain(courses, c, start, target)
            reached = courses[chain[-1]].level_to if chain else start
            if reached < target:
                uncovered[who] += 1
            level = start
            for i in chain:
                need[who, i] = True
                person_steps[who, i] += min(target, courses[i].level_to) - level
                level = courses[i].level_to
    return CourseNeeds(need, person_steps.sum(axis=0), uncovered, person_steps)
