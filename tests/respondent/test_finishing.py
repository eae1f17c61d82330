"""Finishing the test: the review step, the timer's "timeout", the saved page during the test,
the test's fixed language; and what every page of questions shows (buttons, hints)."""

from __future__ import annotations

import re
from datetime import timedelta

from survey.extensions import db
from survey.models import Answer, Attempt, AttemptResult
from survey.models._types import utcnow
from tests.respondent import factories as f
from tests.respondent.walk import complete_survey, consent, fields_on, survey_page_form


def started_test(client, world, token):
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    client.post(f"/i/{token}/test")
    return f.right_answers(world.campaign.test_version)


def pages_of(client, token):
    """Field names per test page, walking forward with nothing answered."""
    pages, page = [], 1
    while True:
        html = client.get(f"/i/{token}/test/{page}").text
        pages.append(fields_on(html))
        if 'value="finish"' in html:
            return pages
        client.post(f"/i/{token}/test/{page}", data={"action": "next"})
        page += 1


def test_finishing_asks_to_confirm_and_lists_the_unanswered_questions(client):
    world = f.world(default_language="en")
    token = world.invite()
    answers = started_test(client, world, token)
    pages = pages_of(client, token)
    last = len(pages)
    skipped = pages[-1][0]
    data = {n: answers[n] for n in pages[-1] if n != skipped}
    response = client.post(f"/i/{token}/test/{last}", data={**data, "action": "finish"})
    assert response.location == f"/i/{token}/test/review"
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert attempt.stage == "test"  # not finished yet
    review = client.get(response.location).text
    total = len(world.campaign.test_version.items)
    unanswered = total - len(data)
    assert f"{unanswered} questions of {total} are unanswered." in review
    links = re.findall(rf'href="/i/{token}/test/(\d+)">Question (\d+)', review)
    assert len(links) == unanswered
    # Numbered as the person saw them: the skipped one on the last page is the first of it.
    first_of_last = sum(len(p) for p in pages[:-1]) + 1
    assert (str(last), str(first_of_last)) in links
    assert db.session.get(Attempt, attempt.id).stage == "test"  # the review wrote nothing
    finished = client.post(f"/i/{token}/finish")
    assert finished.location == f"/i/{token}/result"
    assert sum(db.session.get(AttemptResult, attempt.id).test_correct) == len(data)


def test_the_review_says_when_everything_is_answered(client):
    world = f.world(default_language="ru")
    token = world.invite()
    answers = started_test(client, world, token)
    page = 1
    while True:
        html = client.get(f"/i/{token}/test/{page}").text
        data = {n: answers[n] for n in fields_on(html)}
        response = client.post(f"/i/{token}/test/{page}", data={**data, "action": "next"})
        if response.status_code == 302:
            assert response.location.endswith("/review")
            break
        assert response.status_code == 200  # the next page
        page += 1
    review = client.get(response.location).text
    assert "Вы ответили на все вопросы (10)." in review
    assert "Завершить тест" in review


def test_the_timer_at_zero_saves_the_page_and_finishes(client):
    world = f.world(default_language="en")
    token = world.invite()
    answers = started_test(client, world, token)
    first = fields_on(client.get(f"/i/{token}/test/1").text)
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() + timedelta(seconds=30)  # the browser's clock is early
    db.session.commit()
    sent = client.post(f"/i/{token}/test/1",
                       data={**{n: answers[n] for n in first}, "action": "timeout"})
    assert sent.location == f"/i/{token}/result?time_up=1"
    assert sum(db.session.get(AttemptResult, attempt.id).test_correct) == len(first)


def test_a_test_page_with_a_bad_value_keeps_the_good_ones(client):
    world = f.world(default_language="en")
    token = world.invite()
    answers = started_test(client, world, token)
    first = fields_on(client.get(f"/i/{token}/test/1").text)
    data = {n: answers[n] for n in first}
    data[first[0]] = ["zz"]
    page = client.post(f"/i/{token}/test/1", data=data)
    assert page.status_code == 422
    assert "This answer is not one of the options." in page.text
    saved = db.session.scalar(db.select(db.func.count()).select_from(Answer))
    assert saved == 2 * f.SURVEY_ITEMS_PER_SCALE + len(first) - 1


def test_the_saved_page_during_the_test_says_the_clock_keeps_running(client):
    world = f.world(default_language="kk", time_limit=30)
    token = world.invite()
    started_test(client, world, token)
    later = client.post(f"/i/{token}/test/1", data={"action": "later"})
    assert later.location == f"/i/{token}/saved"
    page = client.get(later.location).text
    assert "Тест уақыты сіз жоқта да өте береді." in page
    assert re.search(r"30 минут қалды. Тесттің аяқталу уақыты — \d\d:\d\d", page)
    assert "кез келген уақытта" not in page  # not the survey's "at any time"
    assert 'src="/static/timer.js"' in page
    # At zero the clock on this page finishes the test too, with what was saved.
    assert f'action="/i/{token}/finish" id="timeout-form"' in page
    # The survey's saved page keeps its own text.
    other = world.invite()
    consent(client, other)
    client.post(f"/i/{other}/survey/1", data={"action": "later"})
    assert "кез келген уақытта" in client.get(f"/i/{other}/saved").text


def test_the_language_of_a_started_test_cannot_be_changed(client):
    world = f.world(default_language="kk")
    token = world.invite()
    started_test(client, world, token)
    client.get("/language/ru?next=/")
    page = client.get(f"/i/{token}/test/1").text
    assert '<html lang="kk">' in page
    assert 'class="language-switcher"' not in page
    assert "Тест тілі: Қазақша." in page
    client.post(f"/i/{token}/test/1", data={"action": "next"})
    assert db.session.scalar(db.select(Attempt.language)) == "kk"


def test_the_test_intro_says_its_language_is_fixed_once_started(client):
    world = f.world(default_language="en")
    token = world.invite()
    consent(client, token)
    complete_survey(client, token, world.campaign.survey_version, f.SCALES)
    intro = client.get(f"/i/{token}/test").text
    assert "once it has started, its language cannot be changed" in intro
    assert 'class="language-switcher"' in intro


def test_the_test_page_loads_its_timer_from_a_file_with_no_inline_script(client):
    world = f.world(default_language="en")
    token = world.invite()
    started_test(client, world, token)
    page = client.get(f"/i/{token}/test/1").text
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/address.js" defer>',
                                                  '<script src="/static/timer.js" defer>']
    assert 'id="timer-status" class="flash timer-warning" role="status" aria-live="polite"' in page
    for name in ("timer.js", "address.js"):
        with client.get(f"/static/{name}") as script:
            assert script.status_code == 200


def test_select_all_that_apply_is_said_once(client):
    world = f.world(default_language="en")
    multiple = next(i for i in world.campaign.test_version.items if i.type == "multiple")
    token = world.invite()
    started_test(client, world, token)
    page = 1
    while f'name="q{multiple.id}"' not in (html := client.get(f"/i/{token}/test/{page}").text):
        client.post(f"/i/{token}/test/{page}", data={"action": "next"})
        page += 1
    assert html.count("Select all that apply") == html.count('type="checkbox" name="q') // 5


def test_a_question_that_already_says_select_all_gets_no_second_hint(app):
    from flask_babel import force_locale

    from survey.respondent.pages import questions
    from survey.responses.layout import ItemView, Option

    texts = {"kk": "Қайсысы дұрыс? Барлық дұрыс жауапты белгілеңіз.",
             "ru": "Какие верны? Отметьте все подходящие варианты.",
             "en": "Which are right? Select all that apply."}
    options = tuple(Option(o, {"kk": o, "ru": o, "en": o}) for o in "abc")
    common = {"type": "multiple", "scale": None, "competence_id": None, "level": 1,
              "reverse": False, "options": options, "key": ["a"], "explanations": None}
    said = ItemView(id=1, code="m1", index=0, texts=texts, **common)
    unsaid = ItemView(id=2, code="m2", index=1, texts={k: "?" for k in texts}, **common)
    for language in ("kk", "ru", "en"):
        with app.test_request_context(), force_locale(language):
            shown = questions([said, unsaid], {}, {}, 1, 1, [], ("", ""))
        assert shown[0].hint == ""
        assert shown[1].hint
        assert shown[1].hint.rstrip(".") in texts[language]


def test_next_comes_before_back_in_the_page_and_the_last_survey_page_finishes(client):
    world = f.world(default_language="en")
    token = world.invite()
    consent(client, token)
    version = world.campaign.survey_version
    client.post(f"/i/{token}/survey/1", data=survey_page_form(version, "engagement"))
    html = client.get(f"/i/{token}/survey/2").text
    assert html.index('value="next"') < html.index('value="back"') < html.index('value="later"')
    assert "Finish the survey" in html
    assert ">Next<" not in html
    first = client.get(f"/i/{token}/survey/1").text
    assert ">Next<" in first
    assert "Finish the survey" not in first
