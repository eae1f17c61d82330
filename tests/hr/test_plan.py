"""Training plans: courses from the catalogue, cohorts sized to capacity, exports."""

from __future__ import annotations

import io
import math

import numpy as np
import pytest
from openpyxl import load_workbook

from survey.questionnaires.reference import catalogue_courses, maturity_model
from survey.results import dashboard as report
from survey.results import frames
from survey.results.plan import build_plan


@pytest.fixture
def in_english(app):
    """Names of units and courses are picked in the language of a request."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _plan(world, k=5):
    frame = frames.load_campaign(world.current)
    model = maturity_model().model
    rows = report.row_mask(frame, report.Filters(organisations=(world.alpha.id,)))
    courses = catalogue_courses([c.id for c in frame.layout.competences])
    return frame, build_plan(frame, report.scored(frame, model), rows, courses, k)


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


def test_small_units_are_pooled_without_a_number(world, in_english):
    _frame, plan = _plan(world)
    listed = [entry for item in plan.courses for c in item.cohorts for entry in c.units]
    assert any(count is None for _name, count in listed)
    assert all(name != "Unit 3" or count is None for name, count in listed)


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

