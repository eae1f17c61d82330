"""The self-rating page at the end of the survey, and the result that sets it against the test."""

from __future__ import annotations

from survey.extensions import db
from survey.models import AttemptResult, Item
from tests.respondent import factories as f
from tests.respondent.walk import complete_survey, complete_test, consent, fields_on

LEVELS = ["I need help", "Simple tasks", "Routine problems", "Varied tasks", "Complex problems"]


def with_self_rating(world):
    survey = world.campaign.survey_version
    survey.definition = {**survey.definition, "self_rating": {
        "title": f.t("Self-assessed digital competence", "Цифрлық құзыреттілікті өзін-өзі бағалау",
                     "Самооценка цифровой компетентности"),
        "intro": f.t("Choose what fits you best."),
        "response_scale": [{"value": v + 1, "label": f.t(label)} for v, label in enumerate(LEVELS)],
    }}
    start = len(survey.items)
    ratings = [Item(code=f"sr-{i}", position=start + i, type="self_rating", competence=c,
                    texts=f.t(f"Working with {c.code}")) for i, c in enumerate(world.competences)]
    survey.items.extend(ratings)
    db.session.commit()
    return ratings


def test_the_survey_ends_with_a_self_rating_page_set_against_the_tested_level(client):
    world = f.world()
    ratings = with_self_rating(world)
    token = world.invite()
    client.get("/language/en")
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    page = client.get(f"/i/{token}/survey/{len(f.SCALES) + 1}").text
    assert "Self-assessed digital competence" in page
    assert all(label in page for label in LEVELS)
    assert fields_on(page) == [f"q{item.id}" for item in ratings]
    # information_data rated 2, safety rated 5; the test is answered all right (level 5 each).
    response = client.post(f"/i/{token}/survey/{len(f.SCALES) + 1}",
                           data={f"q{ratings[0].id}": "2", f"q{ratings[1].id}": "5"})
    assert response.status_code == 302
    complete_test(client, token, f.right_answers(world.campaign.test_version))
    result = db.session.scalars(db.select(AttemptResult)).one()
    assert list(result.survey_answers[-2:]) == [2, 5]
    assert result.competence_levels == {"information_data": 5, "safety": 5}
    html = client.get(f"/i/{token}/result").text
    assert "lower than tested" in html
    assert "as tested" in html
    assert "higher than tested" not in html.replace('"higher than tested"', "")
