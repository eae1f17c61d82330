"""In Debian chromium: the item-quality page of a campaign with a full-size test (70 questions,
40 statements, 390 respondents) stays a page one can read — the flagged rows first, the full
tables folded — and its "what to review" column has a readable width on a desktop and a phone."""

from __future__ import annotations

import pytest

from survey.accounts.users import create_user
from survey.extensions import db
from tests.browser.test_hr_views import log_in
from tests.hr import factories as f
from tests.hr.conftest import PASSWORD

DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 360, "height": 740}
# The page before folding was about 58,000 px tall at 1366 px; folded, it must stay within a
# few screens whatever the number of questions.
MAX_HEIGHT = 12_000
# px: about 45 characters of a sentence per line on a desktop; most of the screen on a phone.
MIN_REVIEW_WIDTH = 300


@pytest.fixture
def full_size(app):
    cat = f.catalogue(survey_items=40, test_items=70)
    gamma = f.body("gamma", 2)
    db.session.flush()
    campaign = f.campaign(cat, [gamma], code="full-size")
    f.results(campaign, cat, {gamma.units[0]: 200, gamma.units[1]: 190}, seed=21)
    create_user("admin@example.kz", "Admin", PASSWORD, "admin")
    db.session.commit()
    return campaign


@pytest.mark.parametrize(("language", "viewport"), [("ru", DESKTOP), ("kk", PHONE)],
                         ids=["ru-desktop", "kk-phone"])
def test_the_item_quality_page_is_folded_and_its_review_column_readable(
        browser, base_url, full_size, language, viewport, tmp_path):
    context = browser.new_context(locale="en-US", viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base_url}/language/{language}")
    log_in(page, base_url, "admin@example.kz")
    page.goto(f"{base_url}/hr/campaigns/{full_size.id}/items")
    page.screenshot(path=str(tmp_path / "items.png"), full_page=True)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_HEIGHT, height
    # Every full table is folded, and says how many rows it has.
    folds = page.locator("details.fold")
    assert folds.count() >= 3
    assert page.locator("details.fold[open]").count() == 0
    assert "70" in page.locator("#fold-test_items > summary").inner_text()
    # The review column of every table shown is wide enough to read.
    widths = page.evaluate("""() => [...document.querySelectorAll('th.review')]
        .filter(e => e.offsetParent !== null).map(e => e.getBoundingClientRect().width)""")
    assert widths, "no review column is shown"
    readable = min(MIN_REVIEW_WIDTH, 0.7 * viewport["width"])
    print(f"{language} {viewport['width']}px: page height {height} px, review column "
          f"{min(widths):.0f} px")
    assert min(widths) >= readable, widths
    # Opening a folded table shows all its rows, the review column as wide.
    page.locator("#fold-test_items > summary").click()
    rows = page.locator("#fold-test_items table.results tbody tr")
    assert rows.count() == 70
    width = page.locator("#fold-test_items th.review").evaluate(
        "e => e.getBoundingClientRect().width")
    assert width >= readable
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"] + 1
    context.close()
