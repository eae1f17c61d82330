"""Training plans: courses from the catalogue, cohorts sized to capacity, exports."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from openpyxl import load_workbook

from survey.questionnaires.reference import catalogue_courses, maturity_model
from survey.results import dashboard as report
from survey.results.plan import build_plan
from survey.results.releases import released_figures


@pytest.fixture
def in_english(app):
    """Names of units and courses are picked in the language of a request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _plan(world, k=5):
    frame, gate, _invited = released_figures(world.current, k)
    model = maturity_model().model
    rows = report.row_mask(frame, report.Filters(organisations=(world.alpha.id,)))
    courses = catalogue_courses([c.id for c in frame.layout.competences])
    return frame, build_plan(frame, report.scored(frame, model), gate.partition, rows, courses)


def test_classes_respect_capacity_and_hours_add_up(world, in_english):
    _frame, plan = _plan(world)
    assert plan.courses
    for item in plan.courses:
        assert item.classes == math.ceil(item.people / item.course.capacity)
        assert item.hours == item.classes * item.course.hours
        sizes = [c.size for c in item.cohorts if c.size is not None]
        assert all(s <= item.course.capacity for s in sizes)
    assert plan.total_hours == sum(i.hours for i in plan.courses)
    priorities = [i.priority for i in plan.courses]
    assert priorities == sorted(priorities, reverse=True)


def test_people_are_counted_once_per_course_and_only_below_requirement(world, in_english):
    frame, plan = _plan(world)
    model = maturity_model().model
    gaps = report.scored(frame, model).gaps
    rows = report.row_mask(frame, report.Filters(organisations=(world.alpha.id,)))
    below_anywhere = int((np.nan_to_num(gaps[rows]) > 0).any(axis=1).sum())
    for item in plan.courses:
        assert item.people <= below_anywhere


def test_a_unit_below_k_is_never_listed_and_cohorts_add_up(world, in_english):
    _frame, plan = _plan(world)
    listed = [entry for item in plan.courses for c in item.cohorts for entry in c.units]
    # The 3-person unit's results wait for its outstanding invitations: in no plan figure.
    assert all(name != "Unit 3" for name, _count in listed)
    for item in plan.courses:
        assert sum(c.size for c in item.cohorts) == item.people
        for cohort in item.cohorts:
            assert sum(count for _name, count in cohort.units) == cohort.size


def test_a_trainer_builds_and_exports_the_plan_in_kazakh(world, client, auth):
    auth.as_("trainer@alpha.kz", "kk")
    page = client.get(f"/trainer/campaigns/{world.current.id}").get_data(as_text=True)
    assert "Оқыту жоспары" in page
    assert "<caption>" in page
    response = client.get(f"/trainer/campaigns/{world.current.id}/plan.xlsx")
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Сипаттама", "Оқыту жоспары", "Оқу топтарының құрамы"]
    plan_csv = client.get(f"/trainer/campaigns/{world.current.id}/plan.csv")
    assert "Курс" in plan_csv.data.decode("utf-8-sig")
    # The same download headers as the HR exports (the trainer's once lacked nosniff).
    for download in (response, plan_csv):
        assert download.headers["X-Content-Type-Options"] == "nosniff"
        assert download.headers["Cache-Control"] == "private, no-store"
    assert plan_csv.headers["Content-Type"] == "text/csv; charset=utf-8"



def test_the_catalogue_is_read_in_two_queries_whatever_its_size(world, in_english):
    """The courses and all their competences: not one more query per course (the personal
    result and the trainer's plan read the catalogue on every page view)."""
    from sqlalchemy import event

    from survey.extensions import db

    frame, _gate, _invited = released_figures(world.current, 5)
    db.session.expire_all()
    seen: list[str] = []

    def count(*_args):
        seen.append("statement")

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        courses = catalogue_courses([c.id for c in frame.layout.competences])
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(courses) > 2  # enough courses for one query each to show
    assert len(seen) == 2, seen
