"""The overall digital maturity of a body, against hand-worked numbers: expert dimensions as
weighted means of their ratings, the culture score through the gate, the index only with all
four dimensions, strengths and weaknesses, and the pages, charts and exports that show them."""

from __future__ import annotations

import io
from datetime import date

import numpy as np
import pytest
from openpyxl import load_workbook

from survey.extensions import db
from survey.questionnaires.reference import maturity_model
from survey.results import frames
from survey.results.dashboard import scored
from survey.results.maturity import benchmark, body_maturity, latest

from .conftest import login
from .helpers import confirmed

LEVELS = {
    # strategic management, default weights: .20 .20 .15 .20 .10 .15
    "sm-strategy": 4, "sm-alignment": 3, "sm-coordination": 2, "sm-monitoring": 3,
    "sm-regulation": 5, "sm-sector": 1,
    # technological maturity, default weights: .20 .20 .20 .15 .25
    "tm-systems": 5, "tm-cloud": 4, "tm-data": 3, "tm-ai": 2, "tm-security": 4,
}  # organisational maturity: every criterion 3
SM = 0.20 * 4 + 0.20 * 3 + 0.15 * 2 + 0.20 * 3 + 0.10 * 5 + 0.15 * 1  # 2.95
TM = 0.20 * 5 + 0.20 * 4 + 0.20 * 3 + 0.15 * 2 + 0.25 * 4  # 3.70


def plain_culture_mean(world) -> float:
    frame = frames.load_campaign(world.wave)
    culture = scored(frame, maturity_model().model).culture
    alpha = [o.id for o in frame.layout.organisations].index(world.alpha.id)
    return float(np.nanmean(culture[frame.organisation == alpha]))


def test_dimension_scores_and_the_index_match_the_hand_worked_example(world):
    world.wave.status = "closed"  # nothing outstanding: every result of alpha is released
    db.session.commit()
    body = body_maturity(confirmed(world, LEVELS), maturity_model().model, 5)
    culture = plain_culture_mean(world)
    assert body.scores == pytest.approx({
        "strategic_management": SM, "organisational_maturity": 3.0,
        "technological_maturity": TM, "digital_culture": culture})
    assert pytest.approx(2.95) == SM
    assert pytest.approx(3.70) == TM
    assert body.index == pytest.approx(0.25 * (SM + 3.0 + TM + culture))
    assert body.level == maturity_model().model.level_for(body.index)
    assert body.culture.campaign.id == world.wave.id
    assert body.culture.count == 50
    assert [r.criterion for r in body.strengths] == ["tm-systems", "sm-regulation",
                                                     "tm-security"]
    assert [r.criterion for r in body.weaknesses] == ["sm-sector", "sm-coordination", "tm-ai"]


def test_a_body_with_too_few_results_has_no_culture_score_and_no_index(world):
    body = body_maturity(confirmed(world, organisation=world.beta), maturity_model().model, 5)
    assert body.culture is not None
    assert body.culture.score is None
    assert body.missing == ["digital_culture"]
    assert body.index is None
    assert body.level == 0
    assert body.scores["strategic_management"] == pytest.approx(3.0)


def test_an_unconfirmed_assessment_counts_for_no_expert_dimension(world):
    assessment = confirmed(world)
    assessment.status = "submitted"
    body = body_maturity(assessment, maturity_model().model, 5)
    assert set(body.missing) == {"strategic_management", "organisational_maturity",
                                 "technological_maturity"}
    assert body.index is None
    assert body.strengths == ()


def test_no_campaign_in_the_period_means_no_culture_and_no_index(world):
    assessment = confirmed(world)
    assessment.period_start = date(2001, 1, 1)
    assessment.period_end = date(2001, 12, 31)
    body = body_maturity(assessment, maturity_model().model, 5)
    assert body.culture is None
    assert body.index is None


@pytest.mark.parametrize(("lang", "words"), [
    ("kk", ["Цифрлық жетілудің жиынтық деңгейі", " жылғы ", "2026 көктемгі кезең"]),
    ("ru", ["Сводный уровень цифровой зрелости", "Весенняя волна 2026"]),
    ("en", ["Overall digital maturity", "Spring wave 2026"]),
])
def test_the_page_says_which_campaign_and_assessment_it_uses(world, client, lang, words):
    assessment = confirmed(world, LEVELS)
    login(client, "hr@alpha.kz", lang)
    page = client.get(f"/assessor/bodies/{world.alpha.id}/maturity")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    for word in words:
        assert word in text
    assert f"/assessor/assessments/{assessment.id}/radar.{lang}.png" in text
    assert assessment.rubric_hash[:12] in text
    chart = client.get(f"/assessor/assessments/{assessment.id}/radar.{lang}.png")
    assert chart.mimetype == "image/png"
    assert chart.data[:4] == b"\x89PNG"
    report = client.get(f"/assessor/bodies/{world.alpha.id}/report")
    assert report.status_code == 200
    assert "window.print()" in report.get_data(as_text=True)


def test_a_missing_dimension_is_named_and_nothing_is_averaged(world, client):
    confirmed(world, organisation=world.beta)
    login(client, "b1@beta.kz", "kk")
    text = client.get(f"/assessor/bodies/{world.beta.id}/maturity").get_data(as_text=True)
    assert "Бұл кезеңге жиынтық балл жоқ" in text
    assert "цифрлық мәдениет" in text


def test_history_and_benchmark_export_the_same_numbers(world, client):
    assessment = confirmed(world, LEVELS)
    body = body_maturity(assessment, maturity_model().model, 5)
    login(client, "admin@example.kz", "en")
    assert client.get(f"/assessor/bodies/{world.alpha.id}/history").status_code == 200
    workbook = load_workbook(io.BytesIO(
        client.get(f"/assessor/bodies/{world.alpha.id}/history.xlsx").data))
    sheet = workbook.worksheets[1]
    assert sheet.cell(3, 2).value == pytest.approx(round(SM, 4))
    assert sheet.cell(3, 6).value == pytest.approx(round(body.index, 4))
    for grouping in ("governance_level", "sector", "project_office"):
        page = client.get(f"/assessor/benchmark?by={grouping}")
        assert page.status_code == 200
        assert client.get(f"/assessor/benchmark.en.png?by={grouping}").mimetype == "image/png"
    assert client.get("/assessor/benchmark?by=colour").status_code == 400
    workbook = load_workbook(io.BytesIO(client.get("/assessor/benchmark.xlsx?by=sector").data))
    assert workbook.worksheets[1].cell(3, 2).value == 1


def test_bodies_are_compared_by_project_office(world):
    confirmed(world, LEVELS)
    confirmed(world, organisation=world.beta)
    model = maturity_model().model
    result = benchmark(latest([world.alpha, world.beta], model, 5), "project_office", model)
    assert result.groups == ("centralised", None)
    assert result.mean[0, 0] == pytest.approx(SM)
    assert result.mean[1, 0] == pytest.approx(3.0)
    assert np.isnan(result.mean[1, -1])  # beta has no index: no culture score
