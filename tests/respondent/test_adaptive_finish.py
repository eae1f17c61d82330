"""An adaptive attempt on the respondent path's finishing steps: the review once its rules end
it, the timer's "timeout", what the invitation page says of its length, and its result PDF."""

from __future__ import annotations

import re
from datetime import timedelta

from survey.extensions import db
from survey.models import Answer, Attempt, AttemptResult
from survey.models._types import utcnow
from tests.pdfcheck import check_pdf
from tests.respondent import factories as f
from tests.respondent.test_adaptive import adaptive_world
from tests.respondent.test_result_pdf import all_wrong
from tests.respondent.walk import consent, fields_on, form_address


def answer_items(client, token, count, answers):
    """Answer ``count`` adaptive items with ``answers``; the last response."""
    response = None
    for page in range(1, count + 1):
        (name,) = fields_on(client.get(f"/i/{token}/test/{page}").text)
        response = client.post(f"/i/{token}/test/{page}", data={name: answers[name],
                                                                "action": "next"})
        if response.status_code == 200:  # the next item itself
            assert form_address(response.text) == f"/i/{token}/test/{page + 1}"
        else:  # the rules ended the test
            assert response.status_code == 302
            assert response.location == f"/i/{token}/test/review"
    return response


def started(client, world):
    token = world.invite()
    client.get("/language/en")
    consent(client, token)
    client.post(f"/i/{token}/test")
    return token, f.right_answers(world.campaign.test_version)


def test_an_adaptive_test_ended_by_its_rules_asks_to_confirm_before_finishing(client):
    world = adaptive_world()
    token, right = started(client, world)
    answer_items(client, token, 6, right)  # six is the rules' maximum
    response = client.get(f"/i/{token}/test/7")
    assert response.location == f"/i/{token}/test/review"
    review = client.get(response.location).text
    assert "You have answered all the questions (6)." in review
    assert "are unanswered" not in review
    assert "Back to the questions" not in review  # an adaptive test never goes back
    assert 'id="timer"' in review
    assert 'id="timeout-form"' in review
    assert "language-switcher" not in review
    assert db.session.scalars(db.select(Attempt.stage)).one() == "test"
    finished = client.post(f"/i/{token}/finish")
    assert finished.location == f"/i/{token}/result"
    result = db.session.scalars(db.select(AttemptResult)).one()
    assert sum(byte == 1 for byte in result.test_correct) == 6


def test_the_review_of_an_adaptive_test_not_yet_over_leads_to_its_current_item(client):
    world = adaptive_world()
    token, right = started(client, world)
    answer_items(client, token, 2, right)
    assert client.get(f"/i/{token}/test/review").location == f"/i/{token}/test/3"


def test_the_timer_at_zero_on_an_adaptive_item_saves_the_chosen_answer_and_finishes(client):
    world = adaptive_world()
    token, right = started(client, world)
    answer_items(client, token, 1, right)
    (name,) = fields_on(client.get(f"/i/{token}/test/2").text)
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() + timedelta(seconds=1)
    db.session.commit()
    response = client.post(f"/i/{token}/test/2", data={name: right[name], "action": "timeout"})
    assert response.location == f"/i/{token}/result?time_up=1"
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 2
    result = db.session.scalars(db.select(AttemptResult)).one()
    assert sum(byte == 1 for byte in result.test_correct) == 2
    page = client.get(response.location).text
    assert "The time for the test ran out." in page


def test_the_invitation_page_gives_the_adaptive_tests_length_as_its_introduction_does(client):
    world = adaptive_world()
    token = world.invite()
    client.get("/language/en")
    landing = client.get(f"/i/{token}").text
    assert "Test: at most 6 questions, time limit 45 minutes." in landing
    assert f"{len(world.campaign.test_version.items)} questions" not in landing
    consent(client, token)
    assert "Questions: at most 6." in client.get(f"/i/{token}/test").text


def test_a_linear_forms_review_and_landing_count_the_form_not_the_bank(client):
    world = f.world(survey=False, default_language="en")
    version = world.campaign.test_version
    form = [i.code for i in version.items if i.level <= 3]
    version.definition = {**version.definition, "linear_form": form}
    db.session.commit()
    assert 0 < len(form) < len(version.items)
    token = world.invite()
    landing = client.get(f"/i/{token}").text
    assert f"Test: {len(form)} questions, time limit 45 minutes." in landing
    consent(client, token)
    client.post(f"/i/{token}/test")
    page = 1
    while 'value="finish"' not in client.get(f"/i/{token}/test/{page}").text:
        client.post(f"/i/{token}/test/{page}", data={"action": "next"})
        page += 1
    response = client.post(f"/i/{token}/test/{page}", data={"action": "finish"})
    review = client.get(response.location).text
    assert f"{len(form)} questions of {len(form)} are unanswered." in review
    assert len(re.findall(rf'href="/i/{token}/test/\d+">Question \d+', review)) == len(form)


def test_an_adaptive_result_pdf_fits_a4_with_the_person_on_every_page(client, tmp_path):
    world = adaptive_world()
    token, right = started(client, world)
    answer_items(client, token, 6, all_wrong(world.campaign.test_version))
    client.post(f"/i/{token}/finish")
    html = client.get(f"/i/{token}/result").text
    assert "How sure" in html
    response = client.get(f"/i/{token}/result.pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    pages = check_pdf(response.data, tmp_path, footer="Anonymous participant", name="adaptive")
    everything = " ".join(" ".join(t.split()) for t in pages.texts)
    assert "How sure" in everything
    assert everything.count("Your answer:") == 6  # the six presented, none of the rest
    for text in pages.texts:
        assert world.campaign.title_en in " ".join(text.split())
