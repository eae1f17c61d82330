"""Survey and test pages: validation, back, progress, stable random order, the time limit."""

from __future__ import annotations

import re
from datetime import timedelta

from survey.extensions import db
from survey.models import Answer, Attempt, AttemptResult
from survey.models._types import utcnow
from tests.respondent import factories as f
from tests.respondent.walk import (
    complete_survey,
    complete_test,
    consent,
    fields_on,
    form_address,
    survey_page_form,
)


def saved_answers() -> dict[int, str]:
    return dict(db.session.execute(db.select(Answer.item_id, Answer.value)).all())


def test_each_statement_is_a_fieldset_with_a_legend_and_labelled_radio_buttons(client):
    token = f.world().invite()
    consent(client, token)
    html = client.get(f"/i/{token}/survey/1").text
    assert html.count("<fieldset") == f.SURVEY_ITEMS_PER_SCALE
    assert html.count("<legend>") == f.SURVEY_ITEMS_PER_SCALE
    assert html.count('type="radio"') == 5 * f.SURVEY_ITEMS_PER_SCALE
    assert html.count('<label class="choice"><input') == 5 * f.SURVEY_ITEMS_PER_SCALE
    assert 'max="2" value="0"' in html  # progress: page 1 of 2
    # The survey works without JavaScript: the one script only mends the address bar after a
    # save answered with the next page; the form names its own address.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/address.js" defer>']
    assert f'<form method="post" id="page-form" action="/i/{token}/survey/1"' in html


def test_next_without_every_answer_explains_in_the_page_language_and_keeps_the_answered(client):
    world = f.world(default_language="ru")
    token = world.invite()
    consent(client, token)
    form = survey_page_form(world.campaign.survey_version, "engagement")
    form.popitem()
    page = client.post(f"/i/{token}/survey/1", data=form)
    assert page.status_code == 422
    assert "Пожалуйста, выберите ответ." in page.text
    assert page.text.count(" checked>") == f.SURVEY_ITEMS_PER_SCALE - 1  # what was chosen stays
    # Saved, as "save and continue later" would: the page stays, the answered ones are kept.
    assert len(saved_answers()) == f.SURVEY_ITEMS_PER_SCALE - 1
    assert db.session.scalars(db.select(Attempt.page)).one() == 1
    again = client.get(f"/i/{token}/survey/1")
    assert again.text.count(" checked>") == f.SURVEY_ITEMS_PER_SCALE - 1
    # The summary takes the focus; the unanswered statement's options say they are invalid.
    assert 'id="page-errors" tabindex="-1" autofocus' in page.text
    assert page.text.count('aria-invalid="true"') == 5


def test_a_value_that_is_not_an_option_is_refused(client):
    world = f.world(default_language="en")
    token = world.invite()
    consent(client, token)
    form = survey_page_form(world.campaign.survey_version, "engagement", value="9")
    page = client.post(f"/i/{token}/survey/1", data=form)
    assert page.status_code == 422
    assert "This answer is not one of the options." in page.text


def test_back_keeps_the_answers_of_both_pages(client):
    world = f.world()
    token = world.invite()
    version = world.campaign.survey_version
    consent(client, token)
    client.post(f"/i/{token}/survey/1", data=survey_page_form(version, "engagement", "2"))
    partial = dict(list(survey_page_form(version, "motivation", "5").items())[:1])
    back = client.post(f"/i/{token}/survey/2", data={**partial, "action": "back"})
    assert back.status_code == 200  # page 1 itself, with its answers
    assert form_address(back.text) == f"/i/{token}/survey/1"
    assert back.text.count('value="2" checked') == f.SURVEY_ITEMS_PER_SCALE
    page_one = client.get(f"/i/{token}/survey/1").text
    assert page_one.count('value="2" checked') == f.SURVEY_ITEMS_PER_SCALE
    assert client.get(f"/i/{token}/survey/2").text.count('value="5" checked') == 1
    forward = client.post(f"/i/{token}/survey/1", data=survey_page_form(version, "engagement", "2"))
    assert form_address(forward.text) == f"/i/{token}/survey/2"
    assert forward.text.count('value="5" checked') == 1  # page 2's saved answer, shown again
    assert len(saved_answers()) == f.SURVEY_ITEMS_PER_SCALE + 1


def test_pages_not_yet_reached_lead_back_to_the_current_page(client):
    token = f.world().invite()
    consent(client, token)
    assert client.get(f"/i/{token}/survey/2").location == f"/i/{token}/survey/1"
    assert client.get(f"/i/{token}/test/1").location == f"/i/{token}/survey/1"


def test_the_test_order_is_random_per_attempt_and_stable_across_resumes(client):
    world = f.world()
    orders = []
    for _ in range(2):
        token = world.invite()
        consent(client, token)
        complete_survey(client, token, world.campaign.survey_version, f.SCALES)
        client.post(f"/i/{token}/test")
        first = client.get(f"/i/{token}/test/1").text
        again = client.application.test_client().get(f"/i/{token}/test/1").text
        assert first == again
        orders.append(fields_on(first))
    assert orders[0] != orders[1] or set(orders[0]) != set(orders[1])


def test_the_test_has_a_visible_timer_and_a_server_side_deadline(client):
    world = f.world(time_limit=30)
    token = world.invite()
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    intro = client.get(f"/i/{token}/test")
    assert "30" in intro.text
    client.post(f"/i/{token}/test")
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert attempt.test_deadline - attempt.test_started_at == timedelta(minutes=30)
    page = client.get(f"/i/{token}/test/1").text
    assert 'id="timer" data-seconds="' in page
    client.post(f"/i/{token}/test")  # a replayed start never extends the time
    db.session.refresh(attempt)
    assert attempt.test_deadline - attempt.test_started_at == timedelta(minutes=30)


def into_the_test(client, world, token):
    """Consent, the whole survey, start the test and answer its first page rightly; returns the
    right answers and the field names of that first page."""
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    client.post(f"/i/{token}/test")
    answers = f.right_answers(world.campaign.test_version)
    first = fields_on(client.get(f"/i/{token}/test/1").text)
    client.post(f"/i/{token}/test/1", data={n: answers[n] for n in first})
    return answers, first


def test_answers_posted_after_the_deadline_are_not_saved_and_the_attempt_finishes(client):
    world = f.world(default_language="en")
    token = world.invite()
    answers, first = into_the_test(client, world, token)
    second = fields_on(client.get(f"/i/{token}/test/2").text)
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    late = client.post(f"/i/{token}/test/2", data={n: answers[n] for n in second})
    assert late.location == f"/i/{token}/result?time_up=1"
    result = db.session.get(AttemptResult, attempt.id)
    assert sum(result.test_correct) == len(first)
    assert len([v for v in saved_answers().values()]) == 2 * f.SURVEY_ITEMS_PER_SCALE + len(first)
    assert "The time for the test ran out." in client.get(late.location).text


def test_opening_a_test_page_after_the_deadline_offers_the_result(client):
    world = f.world(default_language="en")
    token = world.invite()
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    client.post(f"/i/{token}/test")
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() - timedelta(minutes=1)
    db.session.commit()
    page = client.get(f"/i/{token}/test/1")
    assert "The time for the test has run out." in page.text
    assert db.session.get(Attempt, attempt.id).stage == "test"  # the GET changed nothing
    finished = client.post(f"/i/{token}/finish")
    assert finished.location == f"/i/{token}/result?time_up=1"
    assert db.session.get(AttemptResult, attempt.id) is not None


def test_after_finishing_the_link_says_so_and_pages_lead_to_the_result(client):
    world = f.world(default_language="en")
    token = world.invite()
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    complete_test(client, token, f.right_answers(world.campaign.test_version))
    assert "You have already finished this survey." in client.get(f"/i/{token}").text
    assert client.get(f"/i/{token}/survey/1").location == f"/i/{token}/result"
    again = client.post(f"/i/{token}/test/1", data={})
    assert again.location == f"/i/{token}/result"
    assert db.session.scalar(db.select(db.func.count()).select_from(AttemptResult)) == 1


def test_a_campaign_without_a_test_finishes_after_the_survey(client):
    world = f.world(test=False)
    token = world.invite()
    consent(client, token)
    last = complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    assert last.status_code == 200  # the result page itself, the same a GET of it shows
    assert last.text == client.get(f"/i/{token}/result").text
    result = db.session.scalars(db.select(AttemptResult)).one()
    assert result.test_choices is None
    assert result.culture_score is not None


def test_closing_the_campaign_finishes_every_test_in_progress_with_what_was_saved(client):
    from survey.campaigns.lifecycle import change_status
    from survey.models import Invitation

    world = f.world(default_language="en", anonymous=False)
    token = world.invite()
    answers, first = into_the_test(client, world, token)
    # The person leaves with time still on the clock; the campaign closes meanwhile.
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert attempt.test_deadline > utcnow()
    change_status(world.campaign, "closed")
    db.session.commit()
    db.session.refresh(attempt)
    assert attempt.stage == "finished"
    result = db.session.get(AttemptResult, attempt.id)
    assert sum(result.test_correct) == len(first)
    assert db.session.get(Invitation, attempt.invitation_id).status == "finished"


def test_a_test_still_running_when_the_closing_date_passes_can_be_finished_from_the_link(client):
    world = f.world(default_language="en")
    token = world.invite()
    answers, first = into_the_test(client, world, token)
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert attempt.test_deadline <= world.campaign.closes_at  # the clock never outruns the close
    world.campaign.closes_at = utcnow() - timedelta(minutes=1)
    world.campaign.opens_at = utcnow() - timedelta(days=2)
    db.session.commit()
    closed = client.get(f"/i/{token}/test/1")
    assert closed.status_code == 410
    assert "See my result" in closed.text
    finished = client.post(f"/i/{token}/finish")
    assert finished.status_code == 302
    db.session.refresh(attempt)
    assert attempt.stage == "finished"
    assert sum(db.session.get(AttemptResult, attempt.id).test_correct) == len(first)
