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
* Every count and priority comes from the disclosure gate (:func:`analysis.privacy.release_table`):
  a course's people and priority are released sums over the whole atoms inside the selection,
  a unit's and a body's people are released sums over the atoms inside it. Cohorts are units
  (people are never named here: campaigns may be anonymous), packed in body order into
  ``ceil(people / capacity)`` classes of nearly equal size. People counted in their body's
  figures but in no single unit's are listed as "other units" of the body, people counted
  only in the campaign's figures as "other bodies" — each a difference of released sums, so
  a sum over whole atoms too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from flask_babel import gettext as _
from numpy.typing import NDArray

from analysis.people import PersonScores, required_levels
from analysis.privacy import Partition, Released, release, release_table
from analysis.training import course_needs

from ..questionnaires.reference import CatalogueCourse
from .frames import CampaignFrame


@dataclass
class Cohort:
    """One class: the groups it draws from (name, people) and its size."""

    units: list[tuple[str, int | None]]
    size: int | None


@dataclass
class PlannedCourse:
    course: CatalogueCourse
    people: int | None
    classes: int
    hours: int  # classes × course hours (teaching hours)
    priority: float  # level steps closed
    cohorts: list[Cohort] = field(default_factory=list)


@dataclass
class Plan:
    courses: list[PlannedCourse]
    total_classes: int
    total_hours: int
    uncovered: int  # person-competence needs no course in the catalogue can close (released)
    withheld: bool = False  # no released group lies in the selection yet


def build_plan(frame: CampaignFrame, scores: PersonScores, partition: Partition,
               selection: NDArray[np.bool_], courses: list[CatalogueCourse]) -> Plan:
    """The plan for the released results of ``selection`` (see the module docstring)."""
    layout = frame.layout
    needs = course_needs(courses, scores.levels, required_levels(layout.required, frame.position))
    need = needs.need.astype(np.float64)
    steps = needs.person_steps if needs.person_steps is not None else need * 0
    n_courses = len(courses)
    zero = np.zeros(frame.n, dtype=np.intp)
    whole = release_table(partition, selection, zero, 1,
                          np.column_stack([need, steps, needs.uncovered.astype(np.float64)]))
    if not whole.published[0]:
        return Plan([], 0, 0, 0, withheld=True)
    totals = np.rint(whole.sums[0, :n_courses]).astype(np.int64)
    priority = whole.sums[0, n_courses:2 * n_courses]
    by_unit = release_table(partition, selection, frame.unit, len(layout.units), need)
    by_body = release_table(partition, selection, frame.organisation, len(layout.organisations),
                            need)
    unit_counts = np.rint(np.nan_to_num(by_unit.sums)).astype(np.int64)
    body_counts = np.rint(np.nan_to_num(by_body.sums)).astype(np.int64)
    planned = [_planned(course, int(totals[i]), float(priority[i]), unit_counts[:, i],
                        body_counts[:, i], frame)
               for i, course in enumerate(courses) if totals[i] > 0]
    planned.sort(key=lambda p: (-p.priority, p.course.code))
    return Plan(planned, sum(p.classes for p in planned), sum(p.hours for p in planned),
                int(round(whole.sums[0, -1])))


def _groups(total: int, units: NDArray[np.int64], bodies: NDArray[np.int64],
            frame: CampaignFrame) -> list[tuple[str, int]]:
    """(name, people) of a course's groups in body order: the units, the rest of each body,
    the rest of the campaign — released sums and their differences."""
    layout = frame.layout
    groups: list[tuple[str, int]] = []
    for b, body in enumerate(layout.organisations):
        inside = np.flatnonzero((layout.unit_parent == b) & (units > 0))
        order = inside[np.lexsort((inside, -units[inside]))]
        groups += [(layout.units[u].name, int(units[u])) for u in order]
        rest = int(bodies[b]) - int(units[inside].sum())
        if rest > 0:
            groups.append((_("Other units: %(body)s", body=body.name), rest))
    rest = total - int(bodies.sum())
    if rest > 0:
        groups.append((_("Other government bodies"), rest))
    return groups


def _planned(course: CatalogueCourse, total: int, priority: float, units: NDArray[np.int64],
             bodies: NDArray[np.int64], frame: CampaignFrame) -> PlannedCourse:
    n_classes = math.ceil(total / course.capacity)
    base, extra = divmod(total, n_classes)
    sizes = [base + (1 if j < extra else 0) for j in range(n_classes)]
    cohorts, queue = [], list(_groups(total, units, bodies, frame))
    for size in sizes:
        listed: dict[str, int | None] = {}
        room = size
        while room > 0 and queue:
            name, left = queue[0]
            take = min(left, room)
            listed[name] = (listed.get(name) or 0) + take
            room -= take
            queue[0] = (name, left - take)
            if queue[0][1] == 0:
                queue.pop(0)
        cohorts.append(Cohort(list(listed.items()), size))
    return PlannedCourse(course, total, n_classes, n_classes * course.hours, priority, cohorts)


def roster(frame: CampaignFrame, scores: PersonScores, partition: Partition,
           selection: NDArray[np.bool_], courses: list[CatalogueCourse]
           ) -> list[tuple[int, int, int]]:
    """Who to enrol in which course in an identified campaign: (course index, person id, unit
    code) for the released results of ``selection`` — names to enrol, never a score. Empty in
    an anonymous campaign (no person ids)."""
    released = release(partition, selection & (frame.person >= 0))
    if not isinstance(released, Released):
        return []
    layout = frame.layout
    rows = np.flatnonzero(released.rows)
    needs = course_needs(courses, scores.levels[rows],
                         required_levels(layout.required, frame.position[rows]))
    person, course = np.nonzero(needs.need)
    order = np.lexsort((rows[person], course))
    return [(int(course[i]), int(frame.person[rows[person[i]]]), int(frame.unit[rows[person[i]]]))
            for i in order]
