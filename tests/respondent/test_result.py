"""The personal result page: culture level, competences against the role, missed items, courses."""

from __future__ import annotations

from tests.respondent import factories as f
from tests.respondent.walk import complete_survey, complete_test, consent


def finished(client, world, answers):
    token = world.invite()
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    complete_test(client, token, answers)
    return token


def test_the_result_shows_level_subscores_gaps_missed_items_and_courses(client):
    world = f.world(default_language="en")
    answers = f.right_answers(world.campaign.test_version)
    missed = next(i for i in world.campaign.test_version.items
                  if i.competence.code == "information_data" and i.level == 2)
    answers[f"q{missed.id}"] = ["a", "b"] if missed.type == "multiple" else ["d"]
    token = finished(client, world, answers)
    page = client.get(f"/i/{token}/result")
    assert page.status_code == 200
    html = page.text
    assert "My result" in html
    assert "Engagement" in html
    assert "Digital motivation" in html
    assert "Information and data literacy" in html
    # Level 2 failed: measured 1 where the role needs 3; safety (5 against 4) is met.
    assert html.count("2 levels below the required level") == 1
    assert html.count("Requirement met") == 1
    assert f"Question {missed.code}" in html
    assert f"Why {missed.code}" in html
    assert "Data basics" in html
    assert "16 hours" in html
    assert 'data-print>' in html  # the print button; its script is static/print.js (CSP)
    assert f'href="/i/{token}/result.pdf"' in html
    # The missed questions fold away: one summary, the list under it.
    assert html.count("<details") == 1
    assert "1 question to review — show it with the right answer" in html
    assert "Levels go from 1 (initial) to 5 (highest)" in html
    # Advice to the person, not the maturity model's advice to the organisation.
    assert "What you can do next:</strong> You " in html
    assert "Consolidate your skills" not in html
    assert "Join projects" not in html


def test_the_result_is_shown_in_the_language_of_the_attempt(client):
    world = f.world(default_language="ru")
    token = finished(client, world, f.right_answers(world.campaign.test_version))
    html = client.application.test_client().get(f"/i/{token}/result").text
    assert '<html lang="ru">' in html
    assert "Мой результат" in html
    assert "Требование выполнено" in html
    assert "Вопросы для повторения" not in html  # nothing missed


def test_the_result_waits_until_the_attempt_is_finished(client):
    world = f.world()
    token = world.invite()
    consent(client, token)
    assert client.get(f"/i/{token}/result").location == f"/i/{token}/survey/1"
