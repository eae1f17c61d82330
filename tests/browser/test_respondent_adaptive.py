"""An adaptive attempt in a real browser, end to end: one item a page with no way back, the
clock and its warnings, the review once the rules end the test, the result with how sure each
level is, folded and fitting a phone, and its PDF; and the clock at zero on an adaptive item."""

from __future__ import annotations

import re
from datetime import timedelta

from survey.extensions import db
from survey.models import Answer, Attempt, AttemptResult
from survey.models._types import utcnow
from tests.browser.test_respondent_ui import FITS, phone
from tests.pdfcheck import check_pdf
from tests.respondent.test_adaptive import adaptive_world


def start_adaptive(page, base_url, token, start: str):
    page.goto(f"{base_url}/i/{token}")
    page.locator('input[name="consent"]').check()
    page.locator("form#consent button[type=submit]").click()
    page.get_by_role("button", name=start).click()
    page.wait_for_url(re.compile(r"/test/1$"))


def test_an_adaptive_attempt_in_kazakh_on_a_phone_from_invitation_to_result_pdf(
        app, browser, base_url, tmp_path):
    world = adaptive_world(default_language="kk")
    token = world.invite()
    context, page = phone(browser)
    refused = []  # anything the Content-Security-Policy blocked
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    page.goto(f"{base_url}/i/{token}")
    assert page.get_by_text("Тест: ең көбі 6 сұрақ, уақыт шегі — 45 минут.").is_visible()
    start_adaptive(page, base_url, token, "Тестті бастау")
    for number in range(1, 7):
        page.wait_for_url(re.compile(rf"/test/{number}$"))
        assert page.locator("#progress-text").inner_text() == f"Сұрақ: {number} (ең көбі 6)"
        assert page.locator("fieldset.question").count() == 1
        assert page.locator('button[value="back"]').count() == 0  # no going back
        assert page.locator("#timer").is_visible()
        assert re.fullmatch(r"4[45]:\d\d", page.locator("#timer").inner_text())  # it ticks
        assert page.locator("#timer-status").get_attribute("aria-live") == "polite"
        assert page.locator(".language-switcher").count() == 0  # the test's language is fixed
        page.locator("fieldset.question input").first.check()
        button = "Тестті аяқтау" if number == 6 else "Келесі"
        page.get_by_role("button", name=button).click()
    page.wait_for_url(re.compile(r"/test/review$"))
    assert page.locator("h1").inner_text() == "Тестті аяқтайсыз ба?"
    assert page.get_by_text("Барлық сұраққа жауап бердіңіз (6).").is_visible()
    assert page.locator("main a[href*='/test/']").count() == 0  # nothing to go back to
    assert page.locator("#timer").is_visible()
    assert db.session.scalars(db.select(Attempt.stage)).one() == "test"
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/result$"))
    assert page.get_by_role("columnheader", name="Сенімділік").count() == 1
    assert page.evaluate(FITS)
    assert page.evaluate("document.documentElement.scrollHeight") < 4000
    result = db.session.scalars(db.select(AttemptResult)).one()
    assert sum(byte != 2 for byte in result.test_correct) == 6  # six presented
    link = page.locator('a[href$="/result.pdf"]').get_attribute("href")
    response = page.request.get(base_url + link)
    assert response.headers["content-type"] == "application/pdf"
    pages = check_pdf(response.body(), tmp_path, footer="Анонимді қатысушы", name="adaptive")
    for text in pages.texts:
        assert "Толқын" in " ".join(text.split())  # the campaign on every page
        assert "жылғы" in text  # and the date
    assert refused == []
    context.close()


def test_the_clock_at_zero_on_an_adaptive_item_saves_the_chosen_answer_and_ends_the_test(
        app, page, base_url):
    world = adaptive_world(default_language="en")
    token = world.invite()
    start_adaptive(page, base_url, token, "Start the test")
    attempt = db.session.scalars(db.select(Attempt)).one()
    attempt.test_deadline = utcnow() + timedelta(seconds=4)
    db.session.commit()
    page.reload()
    status = page.locator("#timer-status")
    assert status.inner_text().startswith("1 minute left.")
    page.locator("fieldset.question input").first.check()
    page.get_by_text("The time is up. Saving your answers…").wait_for()
    page.wait_for_url(re.compile(r"/result\?time_up=1"), timeout=15_000)
    assert page.get_by_text("The time for the test ran out.").is_visible()
    assert db.session.scalars(db.select(Attempt.stage)).one() == "finished"
    assert db.session.scalar(db.select(db.func.count()).select_from(Answer)) == 1
