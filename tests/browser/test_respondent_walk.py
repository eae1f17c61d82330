"""A screenshot of every respondent page: in Kazakh on a phone (360×740) and in Russian on a
desktop (1366×768). Each page must speak its language, fit the screen's width and show no
server error; the PNG files stay in the test's temporary folder to be looked at."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from survey.extensions import db
from survey.models import Attempt
from survey.models._types import utcnow
from tests.browser.test_respondent_path import answer_every_question
from tests.respondent import factories as f

SETUPS = {
    "kk-phone": ("kk", {"viewport": {"width": 360, "height": 740}, "is_mobile": True,
                        "has_touch": True}),
    "ru-desktop": ("ru", {"viewport": {"width": 1366, "height": 768}}),
}
FITS = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


class Walk:
    def __init__(self, page, folder, language):
        self.page, self.folder, self.language, self.shots = page, folder, language, []

    def shot(self, name: str, status: int | None = None) -> None:
        page = self.page
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == self.language, name
        assert page.evaluate(FITS), f"{name}: wider than the screen"
        assert "Traceback" not in page.content()
        path = self.folder / f"{len(self.shots) + 1:02d}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        self.shots.append(path)


@pytest.mark.parametrize("setup", list(SETUPS))
def test_every_respondent_page_in_a_screenshot(app, browser, base_url, tmp_path, setup):
    language, device = SETUPS[setup]
    world = f.world(default_language=language)
    token, second = world.invite(), world.invite()
    context = browser.new_context(locale=f"{language}-KZ", **device)
    page = context.new_page()
    page.set_default_timeout(10_000)
    folder = tmp_path / setup
    folder.mkdir()
    walk = Walk(page, folder, language)

    page.goto(f"{base_url}/i/{token}")
    walk.shot("landing")
    page.locator("form#consent button[type=submit]").click()
    page.locator("#consent-error").wait_for()
    walk.shot("landing-consent-missing")
    page.locator('input[name="consent"]').check()
    page.locator("form#consent button[type=submit]").click()
    page.wait_for_url(re.compile(r"/survey/1$"))
    walk.shot("survey-page-1")
    page.locator("fieldset.question").first.locator("input").first.check()
    page.locator('button[value="next"]').click()
    page.locator("#page-errors").wait_for()
    walk.shot("survey-page-1-unanswered")
    page.locator('button[value="later"]').click()
    page.wait_for_url(re.compile(r"/saved$"))
    walk.shot("survey-saved")
    page.goto(f"{base_url}/i/{token}")
    answer_every_question(page)
    page.locator('button[value="next"]').click()
    page.wait_for_url(re.compile(r"/survey/2$"))
    walk.shot("survey-page-2-last")
    answer_every_question(page)
    page.locator('button[value="next"]').click()
    page.wait_for_url(re.compile(r"/test$"))
    walk.shot("test-intro")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/test/1$"))
    walk.shot("test-page-1")
    page.locator('button[value="later"]').click()
    page.wait_for_url(re.compile(r"/saved$"))
    walk.shot("test-saved")
    page.goto(f"{base_url}/i/{token}")
    answer_every_question(page)
    while not page.locator('button[value="finish"]').count():
        page.locator('button[value="next"]').click()
        page.locator("fieldset.question").first.wait_for()
    page.locator('button[value="finish"]').click()
    page.wait_for_url(re.compile(r"/test/review$"))
    walk.shot("test-finish-review")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/result$"))
    walk.shot("result")
    page.locator("details.missed-list > summary").click()
    walk.shot("result-missed-open")
    page.goto(f"{base_url}/i/{token}")
    walk.shot("notice-finished")

    # A second person runs out of time.
    page.goto(f"{base_url}/i/{second}")
    page.locator('input[name="consent"]').check()
    page.locator("form#consent button[type=submit]").click()
    for _page in (1, 2):
        answer_every_question(page)
        page.locator('button[value="next"]').click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/test/1$"))
    attempt = db.session.scalars(db.select(Attempt).order_by(Attempt.id.desc())).first()
    attempt.test_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    page.reload()
    walk.shot("notice-time-up")

    response = page.goto(f"{base_url}/i/{token[:-2]}zz")
    assert response.status == 404
    walk.shot("error-not-found")
    campaign = world.campaign
    campaign.opens_at, campaign.closes_at = utcnow() + timedelta(days=1), utcnow() + timedelta(days=9)
    db.session.commit()
    page.goto(f"{base_url}/i/{world.invite()}")
    walk.shot("notice-not-yet")
    campaign.opens_at, campaign.closes_at = utcnow() - timedelta(days=9), utcnow() - timedelta(days=1)
    db.session.commit()
    response = page.goto(f"{base_url}/i/{world.invite()}")
    assert response.status == 410
    walk.shot("notice-closed")
    context.close()
    assert len(walk.shots) == 17
    assert all(path.stat().st_size > 5_000 for path in walk.shots)
