"""A civil servant's path in a real browser: invitation → survey → test → own result."""

from __future__ import annotations

import re
from datetime import timedelta

from survey.extensions import db
from survey.models import Attempt, AttemptResult
from survey.models._types import utcnow
from tests.respondent import factories as f


def answer_every_question(page, label: str | None = None) -> None:
    """Choose ``label`` in every fieldset of the page (the first choice when None)."""
    questions = page.locator("fieldset.question")
    for i in range(questions.count()):
        question = questions.nth(i)
        if label is None:
            question.locator("input").first.check()
        else:
            question.get_by_label(label, exact=True).check()


def finish_test(page, next_label: str, finish_label: str) -> None:
    while True:
        answer_every_question(page)
        finish = page.get_by_role("button", name=finish_label)
        if finish.count():
            finish.click()
            page.wait_for_url(re.compile(r"/test/review$"))  # the review asks to confirm
            page.get_by_role("button", name=finish_label).click()
            return
        page.get_by_role("button", name=next_label).click()


def test_a_respondent_completes_survey_and_test_in_kazakh(app, page, base_url):
    world = f.world(default_language="ru")
    token = world.invite()
    refused = []  # anything the Content-Security-Policy blocked
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text
            else None)
    page.goto(f"{base_url}/i/{token}")
    page.get_by_role("navigation", name="Выберите язык").get_by_role("link", name="Қазақша").click()
    assert page.locator("html").get_attribute("lang") == "kk"
    page.get_by_label("Жоғарыдағы ақпаратпен таныстым және қатысуға келісемін.").check()
    page.get_by_role("button", name="Бастау").click()
    for number, button in ((1, "Келесі"), (2, "Сауалнаманы аяқтау")):
        assert page.get_by_text(f"2 беттің {number}-беті").is_visible()
        answer_every_question(page, "Келісемін")
        page.get_by_role("button", name=button).click()
    page.get_by_role("button", name="Тестті бастау").click()
    assert page.locator("#timer").is_visible()
    # The timer (a static script under the CSP) has started counting: "m:ss", not "N min".
    page.wait_for_function(r"/^\d+:\d\d$/.test(document.getElementById('timer').textContent)")
    finish_test(page, "Келесі", "Тестті аяқтау")
    page.wait_for_url(re.compile(r"/result"))
    assert page.locator("h1").inner_text() == "Менің нәтижем"
    assert page.get_by_role("heading", name="Цифрлық құзыреттер").is_visible()
    attempt = db.session.scalars(db.select(Attempt)).one()
    assert (attempt.stage, attempt.language) == ("finished", "kk")
    assert refused == []


def test_a_respondent_completes_the_path_in_russian_on_a_phone(app, browser, base_url):
    world = f.world(default_language="kk")
    token = world.invite()
    context = browser.new_context(locale="ru-RU", viewport={"width": 360, "height": 740},
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{base_url}/i/{token}")
    page.get_by_role("navigation", name="Тілді таңдаңыз").get_by_role("link", name="Русский").click()
    fits = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    page.wait_for_function(fits)  # re-evaluated across a navigation still under way
    page.get_by_role("button", name="Начать").click()
    assert page.get_by_text("Пожалуйста, подтвердите согласие на участие.").is_visible()
    page.get_by_label("Я ознакомился(-ась) с информацией выше и согласен(-на) участвовать.").check()
    page.get_by_role("button", name="Начать").click()
    page.get_by_role("button", name="Далее").click()  # nothing chosen: explained, not saved
    assert page.get_by_role("alert").is_visible()
    assert page.locator(".question .error").first.inner_text() == "Пожалуйста, выберите ответ."
    for button in ("Далее", "Завершить опрос"):
        page.wait_for_function(fits)  # re-evaluated across a navigation still under way
        answer_every_question(page, "Скорее согласен(-на)")
        page.get_by_role("button", name=button).click()
    page.get_by_role("button", name="Начать тест").click()
    page.wait_for_function(fits)  # re-evaluated across a navigation still under way
    finish_test(page, "Далее", "Завершить тест")
    page.wait_for_url(re.compile(r"/result"))
    assert page.locator("h1").inner_text() == "Мой результат"
    page.wait_for_function(fits)  # re-evaluated across a navigation still under way
    context.close()


def test_closing_the_browser_mid_survey_and_opening_the_link_again_resumes(app, browser,
                                                                           base_url):
    world = f.world(default_language="en")
    token = world.invite()
    first = browser.new_context(locale="en-US")
    page = first.new_page()
    page.goto(f"{base_url}/i/{token}")
    page.get_by_label("I have read the above and agree to take part.").check()
    page.get_by_role("button", name="Start").click()
    answer_every_question(page, "Disagree")
    page.get_by_role("button", name="Next").click()
    page.locator("fieldset.question").first.get_by_label("Agree", exact=True).check()
    first.close()  # gone without saving page 2

    second = browser.new_context(locale="kk-KZ")  # another device
    page = second.new_page()
    page.goto(f"{base_url}/i/{token}")
    assert page.url.endswith(f"/i/{token}/survey/2")
    assert page.locator("html").get_attribute("lang") == "en"  # the attempt's language
    assert page.locator("input:checked").count() == 0
    page.get_by_role("button", name="Back").click()
    assert page.locator("input:checked").count() == f.SURVEY_ITEMS_PER_SCALE
    assert page.get_by_label("Disagree", exact=True).first.is_checked()
    second.close()


def test_when_the_time_runs_out_the_answers_saved_before_count(app, live_server, page,
                                                              base_url):
    live_server.config["RESPONDENT_DEADLINE_GRACE_SECONDS"] = 0
    world = f.world(default_language="en")
    token = world.invite()
    page.goto(f"{base_url}/i/{token}")
    page.get_by_label("I have read the above and agree to take part.").check()
    page.get_by_role("button", name="Start").click()
    for button in ("Next", "Finish the survey"):
        answer_every_question(page, "Agree")
        page.get_by_role("button", name=button).click()
    page.get_by_role("button", name="Start the test").click()
    answered = page.locator("fieldset.question").count()
    f_answers = f.right_answers(world.campaign.test_version)
    for name in {n for n in page.locator("fieldset.question input").evaluate_all(
            "els => els.map(e => e.name)")}:
        for value in f_answers[name]:
            page.locator(f'input[name="{name}"][value="{value}"]').check()
    page.get_by_role("button", name="Next").click()
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() + timedelta(seconds=3)
    db.session.commit()
    page.reload()
    answer_every_question(page)  # chosen, but the time runs out before "next"
    page.wait_for_url(re.compile(r"/result"), timeout=15_000)
    assert page.get_by_text("The time for the test ran out.").is_visible()
    result = db.session.get(AttemptResult, attempt.id)
    assert sum(result.test_correct) == answered
    assert sum(1 for byte in result.test_choices if byte) == answered


def test_a_tampered_token_gets_a_clear_not_found_page_in_the_chosen_language(app, page,
                                                                              base_url):
    token = f.world().invite()
    page.goto(f"{base_url}/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Русский").click()
    tampered = token[:-2] + ("xx" if token[-2:] != "xx" else "yy")
    response = page.goto(f"{base_url}/i/{tampered}")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator("h1").inner_text() == "Страница не найдена"
    assert page.get_by_text("Эта ссылка-приглашение недействительна.").is_visible()


def test_a_survey_page_can_be_answered_with_the_keyboard_alone(app, page, base_url):
    world = f.world(default_language="en")
    token = world.invite()
    page.goto(f"{base_url}/i/{token}")
    page.get_by_label("I have read the above and agree to take part.").check()
    page.get_by_role("button", name="Start").click()
    first_radio = page.locator("fieldset.question input").first
    first_radio.focus()
    for _question in range(f.SURVEY_ITEMS_PER_SCALE):
        page.keyboard.press("ArrowRight")  # moves and selects within the radio group
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
        page.keyboard.press("Tab")  # on to the next question's group
    assert page.locator("input:checked").count() == f.SURVEY_ITEMS_PER_SCALE
    assert page.evaluate("document.activeElement.value") == "next"
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/survey/2$"))


def test_a_saved_page_shows_the_next_pages_address_and_reloads_it_without_posting_again(
        app, page, base_url):
    """A save answers with the next page itself: the address bar names that page, a reload is
    a GET of it (no resubmission), and the browser's Back returns to the page before."""
    world = f.world(default_language="en")
    token = world.invite()
    page.goto(f"{base_url}/i/{token}")
    page.get_by_label("I have read the above and agree to take part.").check()
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(rf"/i/{token}/survey/1$"))
    answer_every_question(page, "Agree")
    with page.expect_response(lambda r: r.request.method == "POST") as saved:
        page.get_by_role("button", name="Next").click()
    assert saved.value.status == 200
    assert saved.value.url.endswith("/survey/1")
    page.wait_for_url(re.compile(rf"/i/{token}/survey/2$"))
    assert page.get_by_text("Page 2 of 2").count() == 1
    switcher = page.locator(".language-switcher a[hreflang=ru]").get_attribute("href")
    assert "survey%2F2" in switcher or "survey/2" in switcher

    methods: list[str] = []
    page.on("request", lambda r: methods.append(f"{r.method} {r.url.split(base_url)[-1]}")
            if r.resource_type == "document" else None)
    page.reload()
    assert methods == [f"GET /i/{token}/survey/2"]
    assert page.get_by_text("Page 2 of 2").count() == 1
    page.go_back()
    page.wait_for_url(re.compile(rf"/i/{token}/survey/1$"))
    assert page.locator("input:checked").count() == f.SURVEY_ITEMS_PER_SCALE
    assert db.session.scalars(db.select(Attempt.page)).all() == [2]  # page 1 saved once
