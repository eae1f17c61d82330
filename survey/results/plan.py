"""Training needs turned into a plan: courses from the catalogue, cohorts sized to class
capacity, ordered by priority, with hours.

The needs come from `analysis` (measured levels and gaps of :func:`survey.results.dashboard.scored`);
this module only matches them to the catalogue and packs people into classes:

* For each person and competence below the required level, the courses that lead from the
  measured level to the required one: from level m, the course of that competence with
  ``level_from <= m < level_to`` reaching highest, then on from its ``level_to`` until the
  requirement is met or the catalogue has no course. A person needs a course once even when it
  serves several of their competences.
* A course's priority is the number of level steps it closes over all its participants
  (the gap × headcount rule of the maturity model, per course).
* Cohorts are units (people are never named: campaigns may be anonymous). Units are packed, in
  body order, into ``ceil(people / capacity)`` classes of nearly equal size. A unit with fewer
  than k participants for a course — and its complements (:func:`analysis.suppression.suppress`) —
  is pooled as "other units" of its body without a number; a class smaller than k has its
  size hidden too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from numpy.typing import NDArray

from analysis.people import PersonScores, required_levels
from analysis.suppression import suppress
from analysis.training import course_needs

from ..questionnaires.reference import CatalogueCourse
from .frames import CampaignFrame


@dataclass
class Cohort:
    """One class: the units it draws from (name, people or None when hidden) and its size."""

    units: list[tuple[str, int | None]]
    size: int | None  # None = hidden (fewer than k)


@dataclass
class PlannedCourse:
    course: CatalogueCourse
    people: int | None  # None = hidden (fewer than k in total)
    classes: int
    hours: int  # classes × course hours (teaching hours)
    priority: float  # level steps closed
    cohorts: list[Cohort] = field(default_factory=list)


@dataclass
class Plan:
    courses: list[PlannedCourse]
    total_classes: int
    total_hours: int
    uncovered: int  # person-competence needs no course in the catalogue can close
    small_courses_left_out: bool = False  # courses fewer than k people need are not listed


def build_plan(frame: CampaignFrame, scores: PersonScores, rows: NDArray[np.bool_],
               courses: list[CatalogueCourse], k: int) -> Plan:
    """The plan for the people in ``rows`` (see the module docstring). Fewer than ``k`` people
    give an empty plan, and a course fewer than ``k`` people need is left out: its levels and
    priority would describe those few people."""
    if int(rows.sum()) < k:
        rows = np.zeros_like(rows)
    units = frame.unit[rows]
    needs = course_needs(courses, scores.levels[rows],
                         required_levels(frame.layout.required, frame.position[rows]))
    need, steps, uncovered = needs.need, needs.steps, int(needs.uncovered.sum())
    planned = []
    left_out = False
    for i, course in enumerate(courses):
        takers = units[need[:, i]]
        total = int(takers.size)
        if total < k:
            left_out = left_out or total > 0
            continue
        planned.append(_planned(course, takers, total, float(steps[i]), frame, k))
    planned.sort(key=lambda p: (-p.priority, p.course.code))
    return Plan(planned, sum(p.classes for p in planned), sum(p.hours for p in planned), uncovered,
                left_out)


def _planned(course: CatalogueCourse, takers: NDArray[np.intp], total: int, priority: float,
             frame: CampaignFrame, k: int) -> PlannedCourse:
    layout = frame.layout
    n_units = len(layout.units)
    counts = np.bincount(takers[takers >= 0], minlength=n_units)[:n_units]
    hidden = suppress(counts, k, layout.unit_parent)
    n_classes = math.ceil(total / course.capacity)
    base, extra = divmod(total, n_classes)
    sizes = [base + (1 if j < extra else 0) for j in range(n_classes)]
    order = [u for u in np.lexsort((-counts, layout.unit_parent)) if counts[u] > 0]
    cohorts, queue = [], [(int(u), int(counts[u])) for u in order]
    for size in sizes:
        members, room = [], size
        while room > 0 and queue:
            unit, left = queue[0]
            take = min(left, room)
            members.append((unit, take))
            room -= take
            queue[0] = (unit, left - take)
            if queue[0][1] == 0:
                queue.pop(0)
        listed: dict[str, int | None] = {}
        for unit, take in members:
            if hidden[unit]:
                # Small groups are pooled under their body, without a number.
                body = layout.organisations[layout.unit_parent[unit]].name
                listed[_("Other units: %(body)s", body=body)] = None
            else:
                listed[layout.units[unit].name] = take
        cohorts.append(Cohort(list(listed.items()), size if size >= k else None))
    return PlannedCourse(course, total if total >= k else None, n_classes,
                         n_classes * course.hours, priority, cohorts)
