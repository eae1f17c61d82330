"""What only a browser shows on the respondent path: where the focus goes, what is in view on
a phone, the test's clock and its warnings, the finish review, and the printed result."""

from __future__ import annotations

import re
from datetime import timedelta

from survey.extensions import db
from survey.models import Attempt
from survey.models._types import utcnow
from tests.browser.test_respondent_path import answer_every_question
from tests.pdfcheck import check_pdf
from tests.respondent import factories as f

PHONE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
IN_VIEW = """el => { const r = el.getBoundingClientRect();
                     return r.top >= 0 && r.bottom <= window.innerHeight; }"""
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def phone(browser, locale="kk-KZ"):
    context = browser.new_context(locale=locale, **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def into_the_test(page, base_url, token):
    page.goto(f"{base_url}/i/{token}")
    page.locator('input[name="consent"]').check()
    page.locator("form#consent button[type=submit]").click()
    for _page in (1, 2):
        answer_every_question(page)
        page.locator('button[value="next"]').click()
    page.locator("main form button[type=submit]").click()  # start the test
    page.wait_for_url(re.compile(r"/test/1$"))


def test_consent_refused_on_a_phone_shows_the_error_in_view_with_the_focus(app, browser,
                                                                           base_url):
    token = f.world(default_language="kk").invite()
    context, page = phone(browser)
    page.goto(f"{base_url}/i/{token}")
    page.get_by_role("button", name="Бастау").click()
    error = page.locator("#consent-error")
    error.wait_for()
    # Autofocus scrolls after the page has loaded: on a busy machine, later than wait_for.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'consent'")
    assert error.inner_text() == "Қатысуға келісетініңізді растаңыз."
    assert error.evaluate(IN_VIEW)
    assert page.evaluate("document.activeElement.name") == "consent"
    assert page.evaluate("window.scrollY") > 500  # the box is far below the top on a phone
    context.close()


def test_the_timer_warns_at_five_minutes_and_one_and_says_so_at_zero(app, live_server, page,
                                                                     base_url):
    live_server.config["RESPONDENT_DEADLINE_GRACE_SECONDS"] = 0
    world = f.world(default_language="en")
    token = world.invite()
    into_the_test(page, base_url, token)
    status = page.locator("#timer-status")
    assert status.is_hidden()  # 45 minutes: nothing to say
    assert status.get_attribute("aria-live") == "polite"
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() + timedelta(seconds=200)
    db.session.commit()
    page.reload()
    assert status.inner_text().startswith("5 minutes left.")
    assert "low" in page.locator(".timer").get_attribute("class")
    assert re.fullmatch(r"3:[0-2]\d", page.locator("#timer").inner_text())
    attempt.test_deadline = utcnow() + timedelta(seconds=4)
    db.session.commit()
    page.reload()
    assert status.inner_text().startswith("1 minute left.")
    answer_every_question(page)
    page.get_by_text("The time is up. Saving your answers…").wait_for()
    page.wait_for_url(re.compile(r"/result\?time_up=1"), timeout=15_000)
    assert page.get_by_text("The time for the test ran out.").is_visible()


def test_finishing_the_test_asks_first_and_leads_to_what_is_unanswered(app, page, base_url):
    world = f.world(default_language="ru")
    token = world.invite()
    into_the_test(page, base_url, token)
    while not page.get_by_role("button", name="Завершить тест").count():
        page.get_by_role("button", name="Далее").click()  # nothing answered
    assert "language-switcher" not in page.content()
    assert page.get_by_text("Язык теста: Русский.").is_visible()
    page.get_by_role("button", name="Завершить тест").click()
    page.wait_for_url(re.compile(r"/test/review$"))
    assert page.locator("h1").inner_text() == "Завершить тест?"
    assert page.evaluate("document.activeElement.id") == "unanswered"
    assert page.get_by_text("Без ответа 10 вопросов из 10.").is_visible()
    page.get_by_role("link", name=re.compile(r"^Вопрос 1 ")).click()
    page.wait_for_url(re.compile(r"/test/1$"))
    on_first_page = page.locator("fieldset.question").count()
    answer_every_question(page)
    while not page.get_by_role("button", name="Завершить тест").count():
        page.get_by_role("button", name="Далее").click()
    page.get_by_role("button", name="Завершить тест").click()
    left = 10 - on_first_page
    page.wait_for_url(re.compile(r"/test/review$"))
    page.locator("#unanswered").wait_for()
    assert page.evaluate("document.activeElement.id") == "unanswered"
    assert page.get_by_text(re.compile(rf"^Без ответа {left} вопрос(а|ов)? из 10\.")).is_visible()
    assert db.session.scalars(db.select(Attempt.stage)).one() == "test"
    page.get_by_role("button", name="Завершить тест").click()
    page.wait_for_url(re.compile(r"/result$"))


def test_buttons_keep_their_places_back_left_next_right_save_below(app, page, base_url):
    world = f.world(default_language="en")
    token = world.invite()
    page.goto(f"{base_url}/i/{token}")
    page.locator('input[name="consent"]').check()
    page.get_by_role("button", name="Start").click()
    first_later = page.get_by_role("button", name="Save and continue later").bounding_box()
    answer_every_question(page)
    page.get_by_role("button", name="Next").click()
    back = page.get_by_role("button", name="Back").bounding_box()
    finish = page.get_by_role("button", name="Finish the survey").bounding_box()
    later = page.get_by_role("button", name="Save and continue later").bounding_box()
    assert back["x"] < finish["x"]
    assert later["y"] > finish["y"] + finish["height"] - 1
    assert abs(later["x"] - first_later["x"]) < 1


def finished_with_everything_missed(page, base_url, world):
    token = world.invite()
    into_the_test(page, base_url, token)
    while not page.get_by_role("button", name=re.compile("Finish the test|Тестті аяқтау")).count():
        page.locator('button[value="next"]').click()
    page.locator('button[value="finish"]').click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/result$"))
    return token


def test_the_result_on_a_phone_folds_the_missed_questions_away(app, browser, base_url):
    world = f.world(default_language="kk")
    context, page = phone(browser)
    finished_with_everything_missed(page, base_url, world)
    height = page.evaluate("document.documentElement.scrollHeight")
    summary = page.locator("details.missed-list > summary")
    assert summary.inner_text().startswith("Қайталап қарауға арналған 10 сұрақ")
    assert height < 3000
    summary.click()
    assert page.evaluate("document.documentElement.scrollHeight") > height + 1000
    assert page.evaluate(FITS)
    context.close()


def test_the_printed_result_fits_a4_and_starts_with_the_result(app, page, base_url, tmp_path):
    world = f.world(default_language="en")
    finished_with_everything_missed(page, base_url, world)
    page.emulate_media(media="print")
    assert page.evaluate(FITS)
    pages = check_pdf(page.pdf(format="A4", print_background=True), tmp_path, footer=None,
                      name="printed")
    first = " ".join(pages.texts[0].split())
    assert "Anonymous participant" in first
    assert "Digital competences" in first  # no half-blank first page
    assert pages.count <= 4
    # The PDF document of the same result.
    link = page.locator('a[href$="/result.pdf"]').get_attribute("href")
    response = page.request.get(base_url + link)
    assert response.headers["content-type"] == "application/pdf"
    check_pdf(response.body(), tmp_path, footer="Anonymous participant", name="download")


def test_the_clock_on_the_saved_page_finishes_the_test_at_zero(app, live_server, page,
                                                               base_url):
    live_server.config["RESPONDENT_DEADLINE_GRACE_SECONDS"] = 0
    world = f.world(default_language="kk")
    token = world.invite()
    into_the_test(page, base_url, token)
    page.locator('button[value="later"]').click()
    page.wait_for_url(re.compile(r"/saved$"))
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() + timedelta(seconds=3)
    db.session.commit()
    page.reload()
    page.get_by_text("Уақыт бітті. Жауаптарыңыз сақталуда…").wait_for()
    page.wait_for_url(re.compile(r"/result\?time_up=1"), timeout=15_000)
    assert db.session.scalars(db.select(Attempt.stage)).one() == "finished"
